package dev.berth.registry.server;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Verification of bcrypt hashes ({@code $2a$}, {@code $2b$}, {@code $2y$}), the format {@code htpasswd -B} writes and
 * the only one distribution's htpasswd authentication accepts.
 *
 * <p>bcrypt is Blowfish with an expensive key schedule (Provos and Mazières, "A Future-Adaptable Password Scheme",
 * 1999). Blowfish's initial P-array and S-boxes are the fractional hexadecimal digits of pi; rather than carrying a
 * table of 1042 constants they are computed once, with Machin's formula, when the class is first used.
 */
final class Bcrypt {
    private static final int P_WORDS = 18;
    private static final int S_WORDS = 1024;
    private static final int[] PI_WORDS = piWords(P_WORDS + S_WORDS);
    private static final String ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    /** "OrpheanBeholderScryDoubt", the text bcrypt encrypts 64 times. */
    private static final byte[] MAGIC = "OrpheanBeholderScryDoubt".getBytes(StandardCharsets.US_ASCII);

    private final int[] p = new int[P_WORDS];
    private final int[] s = new int[S_WORDS];

    private Bcrypt() {
        System.arraycopy(PI_WORDS, 0, p, 0, P_WORDS);
        System.arraycopy(PI_WORDS, P_WORDS, s, 0, S_WORDS);
    }

    /** True if {@code password} matches {@code hash} ({@code $2y$05$<22 salt chars><31 hash chars>}). */
    static boolean verify(String password, String hash) {
        if (hash.length() != 60 || hash.charAt(0) != '$' || hash.charAt(1) != '2' || hash.charAt(3) != '$'
                || "aby".indexOf(hash.charAt(2)) < 0 || hash.charAt(6) != '$') {
            return false;
        }
        int cost;
        try {
            cost = Integer.parseInt(hash.substring(4, 6));
        } catch (NumberFormatException e) {
            return false;
        }
        if (cost < 4 || cost > 31) {
            return false;
        }
        byte[] salt = decode(hash.substring(7, 29), 16);
        if (salt == null) {
            return false;
        }
        byte[] computed = hash(password.getBytes(StandardCharsets.UTF_8), salt, cost);
        String expected = hash.substring(0, 29) + encode(computed, 23);
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                hash.getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] hash(byte[] password, byte[] salt, int cost) {
        // the key is the password with its terminating NUL, at most 72 bytes
        int len = Math.min(password.length + 1, 72);
        byte[] key = new byte[len];
        System.arraycopy(password, 0, key, 0, Math.min(password.length, len));
        Bcrypt b = new Bcrypt();
        b.expand(salt, key);
        long rounds = 1L << cost;
        for (long i = 0; i < rounds; i++) {
            b.expand(null, key);
            b.expand(null, salt);
        }
        int[] text = new int[6];
        int[] pos = {0};
        for (int i = 0; i < 6; i++) {
            text[i] = word(MAGIC, pos);
        }
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < 6; j += 2) {
                b.encipher(text, j);
            }
        }
        byte[] out = new byte[24];
        for (int i = 0; i < 6; i++) {
            out[4 * i] = (byte) (text[i] >>> 24);
            out[4 * i + 1] = (byte) (text[i] >>> 16);
            out[4 * i + 2] = (byte) (text[i] >>> 8);
            out[4 * i + 3] = (byte) text[i];
        }
        return out;
    }

    /** Blowfish's key expansion, with bcrypt's salt mixed in when {@code salt} is not null. */
    private void expand(byte[] salt, byte[] key) {
        int[] kp = {0};
        for (int i = 0; i < P_WORDS; i++) {
            p[i] ^= word(key, kp);
        }
        int[] block = {0, 0};
        int[] sp = {0};
        for (int i = 0; i < P_WORDS; i += 2) {
            mix(block, salt, sp);
            p[i] = block[0];
            p[i + 1] = block[1];
        }
        for (int i = 0; i < S_WORDS; i += 2) {
            mix(block, salt, sp);
            s[i] = block[0];
            s[i + 1] = block[1];
        }
    }

    private void mix(int[] block, byte[] salt, int[] sp) {
        if (salt != null) {
            block[0] ^= word(salt, sp);
            block[1] ^= word(salt, sp);
        }
        encipher(block, 0);
    }

    private void encipher(int[] block, int off) {
        int l = block[off];
        int r = block[off + 1];
        l ^= p[0];
        for (int i = 1; i <= 16; i += 2) {
            r ^= f(l) ^ p[i];
            l ^= f(r) ^ p[i + 1];
        }
        block[off] = r ^ p[17];
        block[off + 1] = l;
    }

    private int f(int x) {
        return ((s[x >>> 24] + s[0x100 | ((x >>> 16) & 0xff)]) ^ s[0x200 | ((x >>> 8) & 0xff)])
                + s[0x300 | (x & 0xff)];
    }

    /** The next 32-bit big-endian word of {@code data}, cycling through it. */
    private static int word(byte[] data, int[] pos) {
        int w = 0;
        for (int i = 0; i < 4; i++) {
            w = (w << 8) | (data[pos[0]] & 0xff);
            pos[0] = (pos[0] + 1) % data.length;
        }
        return w;
    }

    /** The first {@code count} 32-bit words of pi's fractional part: 16 atan(1/5) - 4 atan(1/239) in fixed point. */
    private static int[] piWords(int count) {
        int bits = count * 32 + 64;
        BigInteger pi = atan(5, bits).shiftLeft(4).subtract(atan(239, bits).shiftLeft(2));
        BigInteger fraction = pi.subtract(BigInteger.valueOf(3).shiftLeft(bits)).shiftRight(64);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            out[i] = fraction.shiftRight((count - 1 - i) * 32).intValue();
        }
        return out;
    }

    /** atan(1/x) scaled by 2^bits. */
    private static BigInteger atan(int x, int bits) {
        BigInteger x2 = BigInteger.valueOf((long) x * x);
        BigInteger term = BigInteger.ONE.shiftLeft(bits).divide(BigInteger.valueOf(x));
        BigInteger sum = term;
        for (int k = 1; term.signum() != 0; k++) {
            term = term.divide(x2);
            BigInteger t = term.divide(BigInteger.valueOf(2L * k + 1));
            sum = (k % 2 == 1) ? sum.subtract(t) : sum.add(t);
        }
        return sum;
    }

    // bcrypt's base64: its own alphabet, no padding

    static String encode(byte[] data, int length) {
        StringBuilder sb = new StringBuilder();
        int off = 0;
        while (off < length) {
            int c1 = data[off++] & 0xff;
            sb.append(ALPHABET.charAt(c1 >> 2));
            c1 = (c1 & 0x03) << 4;
            if (off >= length) {
                sb.append(ALPHABET.charAt(c1));
                break;
            }
            int c2 = data[off++] & 0xff;
            c1 |= c2 >> 4;
            sb.append(ALPHABET.charAt(c1));
            c1 = (c2 & 0x0f) << 2;
            if (off >= length) {
                sb.append(ALPHABET.charAt(c1));
                break;
            }
            c2 = data[off++] & 0xff;
            c1 |= c2 >> 6;
            sb.append(ALPHABET.charAt(c1));
            sb.append(ALPHABET.charAt(c2 & 0x3f));
        }
        return sb.toString();
    }

    static byte[] decode(String s, int length) {
        byte[] out = new byte[length];
        int n = 0;
        int bits = 0;
        int acc = 0;
        for (int i = 0; i < s.length() && n < length; i++) {
            int v = ALPHABET.indexOf(s.charAt(i));
            if (v < 0) {
                return null;
            }
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
                acc &= (1 << bits) - 1;
            }
        }
        return n == length ? out : null;
    }
}
