package dev.berth.engine.containers;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/** Container IDs, generated names in Docker's {@code adjective_surname} form, and Docker's name rule. */
public final class Names {
    /** Docker's rule for container names (daemon/names.go). */
    public static final Pattern VALID = Pattern.compile("^/?[a-zA-Z0-9][a-zA-Z0-9_.-]+$");

    private static final List<String> ADJECTIVES = List.of(
            "amber", "brave", "brisk", "calm", "candid", "cheerful", "clever", "cosmic", "curious", "daring", "deft",
            "eager", "earnest", "elated", "fearless", "fervent", "gallant", "gentle", "gifted", "glad", "graceful",
            "hardy", "humble", "jolly", "jovial", "keen", "kind", "lively", "loyal", "lucid", "merry", "mellow",
            "modest", "nimble", "noble", "patient", "placid", "plucky", "polite", "proud", "quick", "quiet", "radiant",
            "rapid", "serene", "sharp", "shy", "silent", "sincere", "smooth", "snug", "spry", "steady", "stoic",
            "sunny", "swift", "tender", "tidy", "upbeat", "valiant", "vivid", "warm", "wise", "witty", "zealous");

    private static final List<String> SURNAMES = List.of(
            "abel", "agnesi", "ampere", "archimedes", "avogadro", "babbage", "banach", "bernoulli", "bohr", "boole",
            "cantor", "carnot", "cauchy", "cavendish", "chandra", "clausius", "coulomb", "dalton", "dedekind", "dirac",
            "euclid", "euler", "faraday", "fermat", "fermi", "fourier", "fresnel", "galois", "gauss", "germain",
            "gibbs", "godel", "hamilton", "hardy", "heaviside", "hertz", "hilbert", "huygens", "jacobi", "joule",
            "kelvin", "kepler", "kolmogorov", "lagrange", "laplace", "legendre", "leibniz", "lorentz", "lovelace",
            "maxwell", "meitner", "mendel", "minkowski", "napier", "noether", "ohm", "pascal", "pauli", "planck",
            "poincare", "ramanujan", "riemann", "rydberg", "shannon", "somerville", "stokes", "tesla", "turing",
            "volta", "weierstrass", "wiener", "yukawa", "zermelo");

    private final Random random;

    public Names() {
        this(new SecureRandom());
    }

    public Names(Random random) {
        this.random = random;
    }

    /** A random 64-hex container ID that does not start with a run of digits only (it could pass for a short number). */
    public String newId() {
        byte[] bytes = new byte[32];
        String id;
        do {
            random.nextBytes(bytes);
            id = HexFormat.of().formatHex(bytes);
        } while (id.substring(0, 12).chars().allMatch(Character::isDigit));
        return id;
    }

    /** A generated name such as "brave_noether"; after a few clashes, a digit is appended as Docker does. */
    public String newName(int attempt) {
        String name = ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "_" + SURNAMES.get(random.nextInt(SURNAMES.size()));
        return attempt < 5 ? name : name + random.nextInt(10);
    }
}
