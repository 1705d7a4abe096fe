package io.tributary.protocol.sasl;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One login module in Kafka's {@code sasl.jaas.config} syntax, as the broker's per-listener keys and the client's key
 * both use it:
 *
 * <pre>org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="secret";</pre>
 *
 * Values are double-quoted (backslash escapes the next character) or bare words. Kafka accepts exactly one module in
 * this property, and so do we. Errors name the position and what was expected, never a value (values hold passwords).
 */
public record JaasConfig(String loginModule, String controlFlag, Map<String, String> options) {
    public static final String PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
    public static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

    private static final Set<String> FLAGS = Set.of("required", "requisite", "sufficient", "optional");

    public JaasConfig {
        options = Map.copyOf(options);
    }

    /** Parses {@code text}; {@code key} names the property in error messages. */
    public static JaasConfig parse(String key, String text) {
        Tokens t = new Tokens(key, text);
        String module = t.word("a login module class name");
        String flag = t.word("a control flag (required, requisite, sufficient or optional)");
        if (!FLAGS.contains(flag.toLowerCase(Locale.ROOT))) {
            throw t.error("unknown control flag '" + flag + "', expected required, requisite, sufficient or optional");
        }
        Map<String, String> options = new LinkedHashMap<>();
        while (!t.atSemicolon()) {
            String name = t.word("an option name or ';'");
            t.expect('=');
            String value = t.value();
            if (options.put(name, value) != null) {
                throw t.error("option '" + name + "' is given twice");
            }
        }
        t.expect(';');
        if (!t.atEnd()) {
            throw t.error("must contain exactly one login module");
        }
        return new JaasConfig(module, flag.toLowerCase(Locale.ROOT), options);
    }

    public String option(String name) {
        return options.get(name);
    }

    @Override
    public String toString() {
        // Options hold passwords: only their names are shown.
        return "JaasConfig(" + loginModule + " " + controlFlag + " " + options.keySet() + ")";
    }

    private static final class Tokens {
        private final String key;
        private final String s;
        private int pos;

        Tokens(String key, String s) {
            this.key = key;
            this.s = s == null ? "" : s;
        }

        String word(String expected) {
            skipSpace();
            int start = pos;
            while (pos < s.length() && isWordChar(s.charAt(pos))) {
                pos++;
            }
            if (start == pos) {
                throw error("expected " + expected);
            }
            return s.substring(start, pos);
        }

        String value() {
            skipSpace();
            if (pos < s.length() && s.charAt(pos) == '"') {
                StringBuilder out = new StringBuilder();
                pos++;
                while (pos < s.length() && s.charAt(pos) != '"') {
                    char c = s.charAt(pos++);
                    if (c == '\\' && pos < s.length()) {
                        c = s.charAt(pos++);
                    }
                    out.append(c);
                }
                if (pos >= s.length()) {
                    throw error("a quoted value is not closed");
                }
                pos++;
                return out.toString();
            }
            return word("a value");
        }

        void expect(char c) {
            skipSpace();
            if (pos >= s.length() || s.charAt(pos) != c) {
                throw error("expected '" + c + "'");
            }
            pos++;
        }

        boolean atSemicolon() {
            skipSpace();
            if (pos >= s.length()) {
                throw error("expected ';' at the end of the login module");
            }
            return s.charAt(pos) == ';';
        }

        boolean atEnd() {
            skipSpace();
            return pos >= s.length();
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("Invalid " + key + " at character " + pos + ": " + what);
        }

        private void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '.' || c == '_' || c == '-' || c == '$' || c == '/';
        }
    }
}
