package dev.empathy.jobs;

import dev.empathy.jobs.csat.CsatEffect;
import dev.empathy.jobs.repeat.RepeatContacts;
import dev.empathy.jobs.retention.Retention;
import dev.empathy.jobs.sentiment.Sentiment;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobPlan;
import dev.empathy.jobs.verbatims.Verbatims;
import java.util.List;
import java.util.Optional;

/**
 * The registry of analysis jobs: {@code nightly} runs them all (in this order, after the jobs
 * whose results they use), and the command line offers each as a command with its options. A
 * new job joins here and nowhere else (docs/adding-a-job.md).
 */
public final class Jobs {

    /** Every job, in the order nightly runs them. */
    public static final List<JobDefinition> ALL = List.of(CsatEffect.DEFINITION, RepeatContacts.DEFINITION,
            Retention.DEFINITION, Sentiment.DEFINITION, Verbatims.DEFINITION);

    private Jobs() {
    }

    public static Optional<JobDefinition> find(String name) {
        return ALL.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /** The plan for {@code requested}, with any job whose result they use added at its defaults. */
    public static JobPlan plan(List<? extends Job<?>> requested) {
        return JobPlan.of(requested, name -> find(name).map(JobDefinition::withDefaults).orElse(null));
    }
}
