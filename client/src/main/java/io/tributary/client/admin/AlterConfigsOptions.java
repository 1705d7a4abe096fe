package io.tributary.client.admin;

/** Options of {@link Admin}'s incrementalAlterConfigs (Kafka's class of the same name). */
public class AlterConfigsOptions extends AbstractOptions<AlterConfigsOptions> {
    private boolean validateOnly;

    /** Only check the request: the broker validates it and changes nothing. */
    public AlterConfigsOptions validateOnly(boolean validateOnly) {
        this.validateOnly = validateOnly;
        return this;
    }

    public boolean shouldValidateOnly() {
        return validateOnly;
    }
}
