package io.tributary.broker.metadata;

import io.tributary.broker.security.acl.AclBinding;
import io.tributary.broker.security.acl.AclOperation;
import io.tributary.broker.security.acl.AclPermission;
import io.tributary.broker.security.acl.PatternType;
import io.tributary.broker.security.acl.ResourceType;
import io.tributary.coordinator.runtime.CoordinatorRecord;
import io.tributary.protocol.sasl.ScramCredential;
import io.tributary.protocol.sasl.ScramMechanism;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The record format of the broker metadata log: each fact is one key (its identity) with a value (its current
 * content) or a tombstone (deleted), so replaying the log in order, or a snapshot of live records, yields the state.
 * Every key starts with a format version and a record type; a reader refuses versions it does not know rather than
 * guess.
 */
final class MetadataRecords {
    static final byte VERSION = 0;
    static final byte SCRAM_CREDENTIAL = 1;
    static final byte ACL = 2;
    static final byte CONFIG = 3;

    /** A decoded record: exactly one of the typed keys is set. */
    record Decoded(
            ScramKey scram,
            AclBinding acl,
            ScramCredential credential,
            ConfigKey config,
            String configValue,
            boolean tombstone) {}

    /** One dynamic config of one resource. */
    record ConfigKey(ConfigScope scope, String name) {}

    record ScramKey(String user, ScramMechanism mechanism) {}

    private MetadataRecords() {}

    static CoordinatorRecord scram(String user, ScramMechanism mechanism, ScramCredential credential) {
        byte[] key = write(out -> {
            header(out, SCRAM_CREDENTIAL);
            out.writeUTF(user);
            out.writeUTF(mechanism.mechanismName());
        });
        byte[] value = credential == null
                ? null
                : write(out -> {
                    bytes(out, credential.salt());
                    bytes(out, credential.storedKey());
                    bytes(out, credential.serverKey());
                    out.writeInt(credential.iterations());
                });
        return new CoordinatorRecord(key, value);
    }

    static CoordinatorRecord acl(AclBinding acl, boolean present) {
        byte[] key = write(out -> {
            header(out, ACL);
            out.writeByte(acl.resourceType().code());
            out.writeUTF(acl.resourceName());
            out.writeByte(acl.patternType().code());
            out.writeUTF(acl.principal());
            out.writeUTF(acl.host());
            out.writeByte(acl.operation().code());
            out.writeByte(acl.permission().code());
        });
        return new CoordinatorRecord(key, present ? new byte[0] : null);
    }

    /** A dynamic config's value, or (null) its removal. */
    static CoordinatorRecord config(ConfigScope scope, String name, String value) {
        byte[] key = write(out -> {
            header(out, CONFIG);
            out.writeByte(scope.resourceType());
            out.writeUTF(scope.resourceName());
            out.writeUTF(name);
        });
        return new CoordinatorRecord(key, value == null ? null : write(out -> out.writeUTF(value)));
    }

    static Decoded decode(CoordinatorRecord record) {
        try {
            DataInputStream key = new DataInputStream(new ByteArrayInputStream(record.key()));
            byte version = key.readByte();
            if (version != VERSION) {
                throw new IllegalArgumentException("unknown metadata record version " + version);
            }
            byte type = key.readByte();
            switch (type) {
                case SCRAM_CREDENTIAL -> {
                    String user = key.readUTF();
                    String name = key.readUTF();
                    ScramMechanism mechanism = ScramMechanism.forName(name)
                            .orElseThrow(() -> new IllegalArgumentException("unknown SCRAM mechanism " + name));
                    ScramKey scramKey = new ScramKey(user, mechanism);
                    if (record.isTombstone()) {
                        return new Decoded(scramKey, null, null, null, null, true);
                    }
                    DataInputStream value = new DataInputStream(new ByteArrayInputStream(record.value()));
                    ScramCredential credential =
                            new ScramCredential(bytes(value), bytes(value), bytes(value), value.readInt());
                    return new Decoded(scramKey, null, credential, null, null, false);
                }
                case ACL -> {
                    AclBinding acl = new AclBinding(
                            code(ResourceType.fromCode(key.readByte()), "resource type"),
                            key.readUTF(),
                            code(PatternType.fromCode(key.readByte()), "pattern type"),
                            key.readUTF(),
                            key.readUTF(),
                            code(AclOperation.fromCode(key.readByte()), "operation"),
                            code(AclPermission.fromCode(key.readByte()), "permission"));
                    return new Decoded(null, acl, null, null, null, record.isTombstone());
                }
                case CONFIG -> {
                    ConfigKey configKey = new ConfigKey(new ConfigScope(key.readByte(), key.readUTF()), key.readUTF());
                    String value = record.isTombstone()
                            ? null
                            : new DataInputStream(new ByteArrayInputStream(record.value())).readUTF();
                    return new Decoded(null, null, null, configKey, value, record.isTombstone());
                }
                default -> throw new IllegalArgumentException("unknown metadata record type " + type);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated metadata record", e);
        }
    }

    private static <T> T code(java.util.Optional<T> value, String what) {
        return value.orElseThrow(() -> new IllegalArgumentException("unknown " + what + " code"));
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] write(Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void header(DataOutputStream out, byte type) throws IOException {
        out.writeByte(VERSION);
        out.writeByte(type);
    }

    private static void bytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeShort(b.length);
        out.write(b);
    }

    private static byte[] bytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readUnsignedShort()];
        in.readFully(b);
        return b;
    }
}
