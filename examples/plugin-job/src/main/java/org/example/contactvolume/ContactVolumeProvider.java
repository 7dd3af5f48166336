package org.example.contactvolume;

import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobProvider;
import java.util.List;

/** What the runner's ServiceLoader finds (META-INF/services/dev.empathy.jobs.run.JobProvider). */
public final class ContactVolumeProvider implements JobProvider {

    @Override
    public List<JobDefinition> jobs() {
        return List.of(ContactVolume.DEFINITION);
    }
}
