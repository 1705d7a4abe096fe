package io.tributary.bench;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table with right-aligned numeric columns. Used on one thread to print once. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private int leftColumns = 2;

    Table(String... header) {
        rows.add(header);
    }

    /** How many leading (text) columns are left-aligned; the rest are numbers. */
    Table leftAligned(int columns) {
        this.leftColumns = columns;
        return this;
    }

    Table row(Object... cells) {
        String[] row = new String[cells.length];
        for (int i = 0; i < cells.length; i++) {
            row[i] = String.valueOf(cells[i]);
        }
        rows.add(row);
        return this;
    }

    String render() {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int c = 0; c < row.length && c < columns; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int c = 0; c < columns; c++) {
                String cell = c < row.length ? row[c] : "";
                String pad = " ".repeat(width[c] - cell.length());
                out.append(c == 0 ? "" : "  ").append(c < leftColumns ? cell + pad : pad + cell);
            }
            out.append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : width) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append('\n');
            }
        }
        return out.toString();
    }

    static String num(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }

    static String ratio(double ours, double theirs) {
        if (Double.isNaN(ours) || Double.isNaN(theirs) || theirs == 0) {
            return "-";
        }
        return String.format("%.2fx", ours / theirs);
    }
}
