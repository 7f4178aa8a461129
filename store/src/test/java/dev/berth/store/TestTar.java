package dev.berth.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Builds tars for tests with {@link TarWriter}, which writes any name it is given: malicious tars included. */
final class TestTar {
    /** The test process's own ids, so unpacking needs no privilege unless a test asks for other owners. */
    static final long UID;
    static final long GID;
    static final Instant MTIME = Instant.parse("2021-03-04T05:06:07Z");

    static {
        try {
            Path probe = Files.createTempFile("berth-ids", "");
            UID = (int) Files.getAttribute(probe, "unix:uid");
            GID = (int) Files.getAttribute(probe, "unix:gid");
            Files.delete(probe);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final TarWriter writer = new TarWriter(out);

    TestTar add(Entry e) {
        try {
            writer.write(e.header(), new ByteArrayInputStream(e.content));
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
        return this;
    }

    TestTar dir(String name) {
        return add(new Entry(name, TarHeader.Kind.DIRECTORY).mode(0755));
    }

    TestTar file(String name, String content) {
        return add(new Entry(name, TarHeader.Kind.FILE).content(content));
    }

    TestTar symlink(String name, String target) {
        return add(new Entry(name, TarHeader.Kind.SYMLINK).link(target).mode(0777));
    }

    TestTar hardLink(String name, String target) {
        return add(new Entry(name, TarHeader.Kind.HARD_LINK).link(target));
    }

    byte[] bytes() {
        try {
            writer.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    ByteArrayInputStream stream() {
        return new ByteArrayInputStream(bytes());
    }

    /** Every entry of a tar, with its content. */
    static List<Read> read(byte[] tar) throws IOException {
        TarReader reader = new TarReader(new ByteArrayInputStream(tar));
        List<Read> entries = new ArrayList<>();
        for (TarHeader h = reader.next(); h != null; h = reader.next()) {
            entries.add(new Read(h, reader.content().readAllBytes()));
        }
        return entries;
    }

    record Read(TarHeader header, byte[] content) {
        String name() {
            return header.name();
        }

        String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    /** A tar entry under construction, with defaults: owned by the test process, mode 0644, a fixed mtime. */
    static final class Entry {
        private final String name;
        private final TarHeader.Kind kind;
        private byte[] content = new byte[0];
        private int mode = 0644;
        private long uid = UID;
        private long gid = GID;
        private Instant mtime = MTIME;
        private String link = "";
        private int major;
        private int minor;
        private final Map<String, byte[]> xattrs = new TreeMap<>();

        Entry(String name, TarHeader.Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        Entry content(String text) {
            content = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        Entry mode(int m) {
            mode = m;
            return this;
        }

        Entry owner(long u, long g) {
            uid = u;
            gid = g;
            return this;
        }

        Entry mtime(Instant t) {
            mtime = t;
            return this;
        }

        Entry link(String target) {
            link = target;
            return this;
        }

        Entry device(int ma, int mi) {
            major = ma;
            minor = mi;
            return this;
        }

        Entry xattr(String key, byte[] value) {
            xattrs.put(key, value);
            return this;
        }

        TarHeader header() {
            return new TarHeader(name, kind, content.length, mode, uid, gid, mtime, mtime, link, major, minor, xattrs);
        }
    }
}
