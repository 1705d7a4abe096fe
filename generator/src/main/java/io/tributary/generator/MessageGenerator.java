package io.tributary.generator;

/** Placeholder while the real generator is written. */
public final class MessageGenerator {
    public static void main(String[] args) {
        new java.io.File(args[0]).mkdirs();
    }
}
