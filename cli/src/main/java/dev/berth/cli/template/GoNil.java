package dev.berth.cli.template;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.Set;

/**
 * Go's typed nils, which is what a JSON null in a typed struct reads back as. A nil slice or map is empty for the
 * template (printed {@code []} and {@code map[]}, length 0, false); a nil pointer prints {@code <nil>} and reading
 * a field through it fails. All three are encoded by {@code json} as {@code null}.
 */
final class GoNil {
    private GoNil() {
    }

    /** A nil pointer to a struct of the given Go type. */
    record Pointer(String typeName) {
        @Override
        public String toString() {
            return "<nil>";
        }
    }

    static final class Slice extends AbstractList<Object> {
        @Override
        public Object get(int index) {
            throw new IndexOutOfBoundsException("nil slice has no element " + index);
        }

        @Override
        public int size() {
            return 0;
        }
    }

    static final class GoMap extends AbstractMap<String, Object> {
        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Set.of();
        }
    }
}
