package io.tributary.client.admin;

/** Options of {@link Admin}'s createPartitions (Kafka's class of the same name). */
public class CreatePartitionsOptions extends AbstractOptions<CreatePartitionsOptions> {
    private boolean validateOnly;

    /** Only check the request: the broker validates it and changes nothing. */
    public CreatePartitionsOptions validateOnly(boolean validateOnly) {
        this.validateOnly = validateOnly;
        return this;
    }

    public boolean shouldValidateOnly() {
        return validateOnly;
    }
}
