package dev.empathy.jobs.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps for the manifest that keep the order they were written in ({@code Map.of} iterates in an
 * order that changes from one JVM to the next, which would make two runs' manifests differ).
 */
public final class Ordered {

    private Ordered() {
    }

    /** {@code key1, value1, key2, value2, ...} as an unmodifiable map in that order. */
    public static Map<String, Object> map(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(m);
    }
}
