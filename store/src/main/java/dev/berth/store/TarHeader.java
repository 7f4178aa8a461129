package dev.berth.store;

import java.time.Instant;
import java.util.Map;

/**
 * One tar entry as {@link TarReader} and {@link TarWriter} see it, after PAX and GNU long-name records are merged in.
 * {@code name} is the raw entry name (not yet checked against the layer root), {@code mode} the permission bits with
 * setuid, setgid and sticky ({@code 07777}), {@code size} the content length of a {@link Kind#FILE} and 0 for the other
 * kinds, {@code linkName} the target of a link ("" otherwise). {@code xattrs} are the SCHILY.xattr.* PAX records with
 * their values as raw bytes: file capabilities ({@code security.capability}) are binary.
 */
record TarHeader(String name, Kind kind, long size, int mode, long uid, long gid, Instant mtime, Instant atime,
        String linkName, int devMajor, int devMinor, Map<String, byte[]> xattrs) {

    /** The entry types a layer may hold, with their tar type flags. */
    enum Kind {
        FILE('0'), HARD_LINK('1'), SYMLINK('2'), CHAR_DEVICE('3'), BLOCK_DEVICE('4'), DIRECTORY('5'), FIFO('6');

        final char flag;

        Kind(char flag) {
            this.flag = flag;
        }
    }

    TarHeader {
        xattrs = Map.copyOf(xattrs);
    }
}
