package io.tributary.client.admin;

/** Options of {@link Admin}'s describeConfigs (Kafka's class of the same name). */
public class DescribeConfigsOptions extends AbstractOptions<DescribeConfigsOptions> {
    private boolean includeSynonyms;
    private boolean includeDocumentation;

    /** Also return, per entry, the values it overrides (topic, broker, default) in precedence order. */
    public DescribeConfigsOptions includeSynonyms(boolean includeSynonyms) {
        this.includeSynonyms = includeSynonyms;
        return this;
    }

    public DescribeConfigsOptions includeDocumentation(boolean includeDocumentation) {
        this.includeDocumentation = includeDocumentation;
        return this;
    }

    public boolean includeSynonyms() {
        return includeSynonyms;
    }

    public boolean includeDocumentation() {
        return includeDocumentation;
    }
}
