package io.tributary.client.admin;

/** Options of {@link Admin}'s createTopics (Kafka's class of the same name). */
public class CreateTopicsOptions extends AbstractOptions<CreateTopicsOptions> {
    private boolean validateOnly;

    /** Only check the request: the broker validates it and changes nothing. */
    public CreateTopicsOptions validateOnly(boolean validateOnly) {
        this.validateOnly = validateOnly;
        return this;
    }

    public boolean shouldValidateOnly() {
        return validateOnly;
    }
}
