package io.tributary.client.admin;

/** Kafka's {@code AlterConfigOp}: one change of an incrementalAlterConfigs call. Immutable. */
public class AlterConfigOp {
    /** With the ids IncrementalAlterConfigs uses; APPEND and SUBTRACT apply to list-typed configs. */
    public enum OpType {
        SET((byte) 0),
        DELETE((byte) 1),
        APPEND((byte) 2),
        SUBTRACT((byte) 3);

        private final byte id;

        OpType(byte id) {
            this.id = id;
        }

        public byte id() {
            return id;
        }
    }

    private final ConfigEntry configEntry;
    private final OpType opType;

    public AlterConfigOp(ConfigEntry configEntry, OpType operationType) {
        this.configEntry = configEntry;
        this.opType = operationType;
    }

    public ConfigEntry configEntry() {
        return configEntry;
    }

    public OpType opType() {
        return opType;
    }

    @Override
    public String toString() {
        return "AlterConfigOp(opType=" + opType + ", configEntry=" + configEntry + ")";
    }
}
