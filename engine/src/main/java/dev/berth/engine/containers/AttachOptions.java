package dev.berth.engine.containers;

/**
 * What an attach session carries.
 *
 * @param detachKeys the byte sequence that detaches (default Ctrl-p Ctrl-q)
 */
public record AttachOptions(boolean stdin, boolean stdout, boolean stderr, byte[] detachKeys) {
    public static final byte[] DEFAULT_DETACH_KEYS = {16, 17};

    /**
     * Parses Docker's detach-keys syntax: comma-separated "ctrl-&lt;letter&gt;", "ctrl-@", "ctrl-[", ... or single
     * characters; null or empty means the default.
     */
    public static byte[] parseDetachKeys(String spec) {
        if (spec == null || spec.isEmpty()) {
            return DEFAULT_DETACH_KEYS;
        }
        String[] parts = spec.split(",");
        byte[] keys = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.length() == 1) {
                keys[i] = (byte) p.charAt(0);
            } else if (p.startsWith("ctrl-") && p.length() == 6) {
                char c = Character.toLowerCase(p.charAt(5));
                if (c >= 'a' && c <= 'z') {
                    keys[i] = (byte) (c - 'a' + 1);
                } else if ("@[\\]^_".indexOf(c) >= 0) {
                    keys[i] = (byte) (c == '@' ? 0 : c - '[' + 27);
                } else {
                    throw new dev.berth.engine.EngineException.InvalidArgument("Invalid escape keys (" + spec + ") provided");
                }
            } else {
                throw new dev.berth.engine.EngineException.InvalidArgument("Invalid escape keys (" + spec + ") provided");
            }
        }
        return keys;
    }
}
