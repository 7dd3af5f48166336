package dev.empathy.jobs;

import dev.empathy.jobs.audit.Audit;
import dev.empathy.jobs.calibration.Calibration;
import dev.empathy.jobs.csat.CsatEffect;
import dev.empathy.jobs.fatigue.Fatigue;
import dev.empathy.jobs.repeat.RepeatContacts;
import dev.empathy.jobs.retention.Retention;
import dev.empathy.jobs.sentiment.Sentiment;
import dev.empathy.jobs.run.Job;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.JobPlan;
import dev.empathy.jobs.run.JobProvider;
import dev.empathy.jobs.run.PluginReport;
import dev.empathy.jobs.training.Training;
import dev.empathy.jobs.verbatims.Verbatims;
import dev.empathy.jobs.watchlist.Watchlist;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.regex.Pattern;

/**
 * The registry of analysis jobs: {@code nightly} runs them all (in this order, after the jobs
 * whose results they use), and the command line offers each as a command with its options. A
 * new built-in job joins {@link #ALL} and nowhere else (docs/adding-a-job.md); a plug-in job
 * joins through a {@link JobProvider} on the class path (docs/extending.md) and {@link #all()}
 * lists it after the built-in ones.
 */
public final class Jobs {

    /** Every built-in job, in the order nightly runs them. */
    public static final List<JobDefinition> ALL = List.of(CsatEffect.DEFINITION, RepeatContacts.DEFINITION,
            Retention.DEFINITION, Sentiment.DEFINITION, Verbatims.DEFINITION, Watchlist.DEFINITION,
            Calibration.DEFINITION, Training.DEFINITION, Fatigue.DEFINITION, Audit.DEFINITION);

    /** Names a plug-in job cannot take: the runner's own commands, and the run folder's {@code rejects/}. */
    public static final Set<String> RESERVED = Set.of("generate", "validate", "nightly", "fit", "bench",
            "bench-run", "help", "rejects");

    /** A job's name is its command and its folder: lower-case words joined by hyphens. */
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");

    private static final Map<ClassLoader, Registry> LOADED = new WeakHashMap<>();

    /**
     * The jobs of a class path: the built-in ones, then the plug-ins' in the order of their jars'
     * names, and what was found of each plug-in.
     */
    public record Registry(List<JobDefinition> jobs, Map<String, String> sources, List<PluginReport> plugins) {

        public Registry {
            jobs = List.copyOf(jobs);
            sources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sources));
            plugins = List.copyOf(plugins);
        }

        public Optional<JobDefinition> find(String name) {
            return jobs.stream().filter(d -> d.name().equals(name)).findFirst();
        }

        /** Every plug-in problem as a warning line. */
        public List<String> warnings() {
            return plugins.stream().flatMap(p -> p.warnings().stream()).toList();
        }
    }

    private Jobs() {
    }

    /** Every job of the current class path (the thread's context class loader): built-in, then plug-ins. */
    public static List<JobDefinition> all() {
        return registry().jobs();
    }

    /** The registry of the thread's context class loader, loaded once per class loader. */
    public static Registry registry() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Jobs.class.getClassLoader();
        }
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(loader, Jobs::load);
        }
    }

    public static Optional<JobDefinition> find(String name) {
        return registry().find(name);
    }

    /** The plan for {@code requested}, with any job whose result they use added at its defaults. */
    public static JobPlan plan(List<? extends Job<?>> requested) {
        return JobPlan.of(requested, name -> find(name).map(JobDefinition::withDefaults).orElse(null));
    }

    /**
     * The built-in jobs and those of every {@link JobProvider} {@code loader} finds. A provider
     * that cannot be loaded or throws, and a job whose name is malformed, reserved or taken, are
     * left out and reported; nothing here throws.
     */
    public static Registry load(ClassLoader loader) {
        Map<String, String> sources = new LinkedHashMap<>();
        List<JobDefinition> jobs = new ArrayList<>(ALL);
        for (JobDefinition d : ALL) {
            sources.put(d.name(), "built-in");
        }
        List<PluginReport> reports = new ArrayList<>();
        record Found(String source, String provider, List<JobDefinition> jobs, String problem) {
        }
        List<Found> found = new ArrayList<>();
        Iterator<ServiceLoader.Provider<JobProvider>> providers =
                ServiceLoader.load(JobProvider.class, loader).stream().iterator();
        while (true) {
            ServiceLoader.Provider<JobProvider> provider;
            try {
                if (!providers.hasNext()) {
                    break;
                }
                provider = providers.next();
            } catch (ServiceConfigurationError e) {
                // A services file naming a class that is missing or not a JobProvider.
                found.add(new Found("unknown", "unknown", List.of(), "cannot be loaded: " + oneLine(e)));
                continue;
            }
            String source = source(provider.type());
            String name = provider.type().getName();
            try {
                List<JobDefinition> given = provider.get().jobs();
                found.add(new Found(source, name, given == null ? List.of() : List.copyOf(given), null));
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                Throwable cause = e instanceof ServiceConfigurationError && e.getCause() != null ? e.getCause() : e;
                found.add(new Found(source, name, List.of(), "its provider failed, no job added: " + oneLine(cause)));
            }
        }
        // The class path's order of plug-in jars is the file system's; the jars' names are stable.
        found.sort(Comparator.comparing(Found::source).thenComparing(Found::provider));
        for (Found f : found) {
            List<String> added = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            if (f.problem() != null) {
                problems.add(f.problem());
            }
            for (JobDefinition d : f.jobs()) {
                String problem = problem(d, sources);
                if (problem != null) {
                    problems.add(problem);
                    continue;
                }
                jobs.add(d);
                sources.put(d.name(), f.source());
                added.add(d.name());
            }
            reports.add(new PluginReport(f.source(), f.provider(), added, problems));
        }
        return new Registry(jobs, sources, reports);
    }

    /** Why {@code d} cannot join, or null. */
    private static String problem(JobDefinition d, Map<String, String> sources) {
        if (d == null || d.name() == null) {
            return "a job without a name was left out";
        }
        if (!NAME.matcher(d.name()).matches() || d.name().length() > 60) {
            return "job '" + d.name() + "' was left out: a job's name must be lower-case words joined by "
                    + "hyphens (it is a command and a folder), e.g. contact-volume";
        }
        if (RESERVED.contains(d.name())) {
            return "job " + d.name() + " was left out: the name is one of the runner's own ("
                    + String.join(", ", RESERVED.stream().sorted().toList()) + ")";
        }
        String taken = sources.get(d.name());
        if (taken != null) {
            return "job " + d.name() + " was left out: the name is taken by "
                    + (taken.equals("built-in") ? "the built-in job " + d.name() : "the job of " + taken);
        }
        if (d.description().isEmpty()) {
            return "job " + d.name() + " was left out: its definition has no description";
        }
        return null;
    }

    /** The file name of the jar (or folder) {@code type} was loaded from. */
    private static String source(Class<?> type) {
        CodeSource code = type.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return "unknown";
        }
        try {
            Path path = Path.of(code.getLocation().toURI());
            return path.getFileName() == null ? path.toString() : path.getFileName().toString();
        } catch (URISyntaxException | IllegalArgumentException e) {
            return code.getLocation().toString();
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage();
        String text = e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message.strip());
        return text.replaceAll("\\s*[\\r\\n]+\\s*", " ");
    }
}
