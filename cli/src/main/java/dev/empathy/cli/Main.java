package dev.empathy.cli;

import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.input.InputContractException;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.Toolkit;
import dev.empathy.lib.regression.UnfittableException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code empathy} runner. Commands only parse and delegate to the jobs; results go to
 * {@code out}, progress and errors to {@code err}. Exit codes: 0 success, 1 internal failure,
 * 2 usage error, 3 the input broke a rule that stops the run (a contract rule, or data that leave a
 * model nothing to fit: {@link UnfittableException}), 4 a partial run (a job failed, the others'
 * files were written). Each registered job ({@link Jobs}), built-in or plug-in, is a command of its own.
 */
@Command(name = "empathy",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Measures empathy in customer service at scale: validates contact-centre tables, "
                + "runs the analyses and writes reports.",
        subcommands = {GenerateCommand.class, ValidateCommand.class, NightlyCommand.class})
public final class Main implements Runnable {

    public static final int OK = 0;
    public static final int INTERNAL_ERROR = 1;
    public static final int USAGE_ERROR = 2;
    public static final int INPUT_ERROR = 3;
    public static final int PARTIAL = 4;

    /**
     * A folder of plug-in jars to load at start-up, for runs without the launcher (which puts
     * {@code $EMPATHY_PLUGINS/*} on the class path instead), e.g. spark-submit's
     * {@code --driver-java-options -Dempathy.plugins=/opt/empathy/plugins}.
     */
    public static final String PLUGINS_PROPERTY = "empathy.plugins";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        String folder = System.getProperty(PLUGINS_PROPERTY);
        int code = folder == null || folder.isBlank() ? run(System.out, System.err, args)
                : run(PluginFolder.loader(Path.of(folder), Main.class.getClassLoader()), System.out, System.err, args);
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(code);
    }

    /** Runs the command line without exiting the JVM: what tests call. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return run(context == null ? Main.class.getClassLoader() : context, out, err, args);
    }

    /**
     * Runs the command line with the jobs {@code jobs} finds ({@link Jobs#registry()}): the
     * built-in ones and every plug-in's. {@code jobs} is the thread's context class loader while
     * the command runs, so that Spark finds the plug-ins' classes too.
     */
    public static int run(ClassLoader jobs, PrintStream out, PrintStream err, String... args) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(jobs);
        try {
            return execute(out, err, args);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static int execute(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        Jobs.Registry registry = Jobs.registry();
        for (String warning : registry.warnings()) {
            err.println(warning);
        }
        for (JobDefinition job : registry.jobs()) {
            cli.addSubcommand(job.name(), JobCommand.of(job));
        }
        cli.addSubcommand("fit", new FitCommand());
        cli.addSubcommand(new ExportNotebooksCommand());
        cli.addSubcommand(new dev.empathy.cli.bench.BenchCommand());
        cli.addSubcommand(new dev.empathy.cli.bench.BenchRun());
        cli.addSubcommand(new CommandLine.HelpCommand());
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof InputContractException || e instanceof UnfittableException) {
                commandLine.getErr().println("empathy: input error: " + e.getMessage());
                return INPUT_ERROR;
            }
            if (e instanceof CommandLine.ParameterException pe) {
                throw pe;
            }
            if (e instanceof dev.empathy.lib.formula.FormulaException) {
                commandLine.getErr().println("empathy: " + e.getMessage());
                commandLine.getErr().println("Try '" + commandLine.getCommandSpec().qualifiedName()
                        + " --help' for more information.");
                return USAGE_ERROR;
            }
            commandLine.getErr().println("empathy: internal error: " + e);
            e.printStackTrace(commandLine.getErr());
            return INTERNAL_ERROR;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("empathy: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE_ERROR;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "empathy " + Toolkit.version(),
                "Spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", Java " + System.getProperty("java.version")
            };
        }
    }
}
