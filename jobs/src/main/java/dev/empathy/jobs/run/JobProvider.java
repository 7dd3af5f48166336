package dev.empathy.jobs.run;

import java.util.List;

/**
 * The service a plug-in jar offers so that the runner finds its jobs: an implementation named in
 * the jar's {@code META-INF/services/dev.empathy.jobs.run.JobProvider}, with a public no-argument
 * constructor. The runner loads every provider on its class path through
 * {@link java.util.ServiceLoader}, offers each job as a command and runs it in {@code nightly}
 * after the built-in jobs. See docs/extending.md.
 */
public interface JobProvider {

    /** The jobs of this plug-in, in the order nightly runs them. */
    List<JobDefinition> jobs();
}
