package dev.empathy.jobs.run;

import java.util.Set;

/** One analysis of the nightly run: reads validated tables, writes into its own folder. */
public interface Job {

    /** The job's name, also its command and its folder in the run. */
    String name();

    /** The input tables it cannot run without; when one is absent the job is skipped. */
    Set<String> needs();

    void run(JobContext context) throws Exception;
}
