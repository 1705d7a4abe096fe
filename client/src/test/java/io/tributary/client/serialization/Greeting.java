package io.tributary.client.serialization;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A SpecificRecord written by hand the way Avro's code generator would shape it (SCHEMA$,
 * positional get/put), so that the specific reader can be tested without the Avro Maven plugin.
 */
public class Greeting extends SpecificRecordBase {
    public static final Schema SCHEMA$ = new Schema.Parser().parse("""
            {"type":"record","name":"Greeting","namespace":"io.tributary.client.serialization",
             "fields":[{"name":"text","type":"string"},{"name":"count","type":"int"}]}""");

    public CharSequence text;
    public int count;

    @Override
    public Schema getSchema() {
        return SCHEMA$;
    }

    @Override
    public Object get(int field) {
        return switch (field) {
            case 0 -> text;
            case 1 -> count;
            default -> throw new IndexOutOfBoundsException(field);
        };
    }

    @Override
    public void put(int field, Object value) {
        switch (field) {
            case 0 -> text = (CharSequence) value;
            case 1 -> count = (Integer) value;
            default -> throw new IndexOutOfBoundsException(field);
        }
    }
}
