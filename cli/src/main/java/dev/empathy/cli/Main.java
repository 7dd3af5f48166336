package dev.empathy.cli;

import dev.empathy.jobs.Jobs;
import dev.empathy.jobs.input.InputContractException;
import dev.empathy.jobs.run.JobDefinition;
import dev.empathy.jobs.run.Toolkit;
import dev.empathy.lib.regression.UnfittableException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code empathy} runner. Commands only parse and delegate to the jobs; results go to
 * {@code out}, progress and errors to {@code err}. Exit codes: 0 success, 1 internal failure,
 * 2 usage error, 3 the input broke a rule that stops the run (a contract rule, or data that leave a
 * model nothing to fit: {@link UnfittableException}), 4 a partial run (a job failed, the others'
 * files were written). Each registered job ({@link Jobs}) is a command of its own.
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

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        int code = run(System.out, System.err, args);
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        System.exit(code);
    }

    /** Runs the command line without exiting the JVM: what tests call. */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        for (JobDefinition job : Jobs.ALL) {
            cli.addSubcommand(job.name(), JobCommand.of(job));
        }
        cli.addSubcommand("fit", new FitCommand());
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
