package io.tributary.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options of one subcommand: {@code --name value}, repeatable {@code --name k=v}
 * properties, and bare flags. Parsed once on the main thread; read-only afterwards.
 */
final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {}

    static Args parse(String[] argv, int from) {
        Args args = new Args();
        for (int i = from; i < argv.length; i++) {
            String arg = argv[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            String value = "true";
            int eq = name.indexOf('=');
            if (eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
                value = argv[++i];
            }
            args.values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return args;
    }

    String string(String name, String defaultValue) {
        List<String> v = values.get(name);
        return v == null ? defaultValue : v.get(v.size() - 1);
    }

    long longValue(String name, long defaultValue) {
        String v = string(name, null);
        return v == null ? defaultValue : parseCount(v);
    }

    int intValue(String name, int defaultValue) {
        return Math.toIntExact(longValue(name, defaultValue));
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(string(name, "false"));
    }

    List<String> list(String name, String defaultValue) {
        String v = string(name, defaultValue);
        List<String> out = new ArrayList<>();
        for (String part : v.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** Every {@code --name k=v} occurrence, in order; later keys win. */
    Map<String, String> properties(String name) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String kv : values.getOrDefault(name, List.of())) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--" + name + " wants key=value, got " + kv);
            }
            out.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return out;
    }

    /** Accepts 200000, 200k, 10m, 1_000_000. */
    static long parseCount(String text) {
        String t = text.trim().toLowerCase().replace("_", "");
        long scale = 1;
        if (t.endsWith("k")) {
            scale = 1_000;
        } else if (t.endsWith("m")) {
            scale = 1_000_000;
        } else if (t.endsWith("g")) {
            scale = 1_000_000_000;
        }
        if (scale != 1) {
            t = t.substring(0, t.length() - 1);
        }
        return Long.parseLong(t) * scale;
    }
}
