package io.tributary.cli;

import io.tributary.client.common.Header;
import io.tributary.client.consumer.ConsumerRecord;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * How {@code consume} prints a record (issue 13): a kcat-style template ({@code %t %p %o %k %s
 * %T %h %K %S %%}, {@code \n \t \\}), one JSON object per line, or a table for people.
 */
abstract class RecordFormatter {
    abstract void print(PrintWriter out, ConsumerRecord<byte[], byte[]> r);

    void header(PrintWriter out) {}

    static RecordFormatter of(String template, String format) {
        if (template != null && format != null) {
            throw new CliException("give either -f/--template or --format, not both");
        }
        if (format == null) {
            return new Template(template == null ? "%s\\n" : template);
        }
        return switch (format) {
            case "json" -> new Json();
            case "table" -> new Table();
            default -> throw new CliException("unknown --format " + format + " (json or table)");
        };
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    private static final class Template extends RecordFormatter {
        private final String template;

        Template(String template) {
            this.template = template;
        }

        @Override
        void print(PrintWriter out, ConsumerRecord<byte[], byte[]> r) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < template.length(); i++) {
                char c = template.charAt(i);
                if ((c == '%' || c == '\\') && i + 1 < template.length()) {
                    char n = template.charAt(++i);
                    sb.append(c == '%' ? field(r, n) : escape(n));
                } else {
                    sb.append(c);
                }
            }
            out.print(sb);
        }

        private static String field(ConsumerRecord<byte[], byte[]> r, char n) {
            return switch (n) {
                case 't' -> r.topic();
                case 'p' -> Integer.toString(r.partition());
                case 'o' -> Long.toString(r.offset());
                case 'T' -> Long.toString(r.timestamp());
                case 'k' -> r.key() == null ? "" : text(r.key());
                case 's' -> r.value() == null ? "" : text(r.value());
                case 'K' -> Integer.toString(r.key() == null ? -1 : r.key().length);
                case 'S' -> Integer.toString(r.value() == null ? -1 : r.value().length);
                case 'h' -> headers(r);
                case '%' -> "%";
                default -> throw new CliException("unknown template field %" + n);
            };
        }

        private static String escape(char n) {
            return switch (n) {
                case 'n' -> "\n";
                case 't' -> "\t";
                case 'r' -> "\r";
                case '\\' -> "\\";
                default -> "\\" + n;
            };
        }

        private static String headers(ConsumerRecord<byte[], byte[]> r) {
            StringBuilder sb = new StringBuilder();
            for (Header h : r.headers()) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(h.key()).append('=').append(h.value() == null ? "" : text(h.value()));
            }
            return sb.toString();
        }
    }

    private static final class Json extends RecordFormatter {
        @Override
        void print(PrintWriter out, ConsumerRecord<byte[], byte[]> r) {
            StringBuilder sb = new StringBuilder("{\"topic\":");
            quote(sb, r.topic());
            sb.append(",\"partition\":").append(r.partition());
            sb.append(",\"offset\":").append(r.offset());
            sb.append(",\"timestamp\":").append(r.timestamp());
            sb.append(",\"key\":");
            quote(sb, text(r.key()));
            sb.append(",\"value\":");
            quote(sb, text(r.value()));
            sb.append(",\"headers\":{");
            boolean first = true;
            for (Header h : r.headers()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                quote(sb, h.key());
                sb.append(':');
                quote(sb, text(h.value()));
            }
            out.println(sb.append("}}"));
        }
    }

    private static final class Table extends RecordFormatter {
        private static final String ROW = "%-20s %9s %12s %14s  %-16s %s%n";

        @Override
        void header(PrintWriter out) {
            out.printf(ROW, "TOPIC", "PARTITION", "OFFSET", "TIMESTAMP", "KEY", "VALUE");
        }

        @Override
        void print(PrintWriter out, ConsumerRecord<byte[], byte[]> r) {
            String key = r.key() == null ? "-" : text(r.key());
            String value = r.value() == null ? "-" : text(r.value());
            out.printf(ROW, r.topic(), r.partition(), r.offset(), r.timestamp(), key, value);
        }
    }

    /** JSON string (or null) with the escapes RFC 8259 requires. */
    static void quote(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
