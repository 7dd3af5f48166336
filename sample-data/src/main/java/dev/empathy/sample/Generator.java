package dev.empathy.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.empathy.lib.contract.ColumnSpec;
import dev.empathy.lib.contract.Contract;
import dev.empathy.lib.contract.TableSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Writes a synthetic data set in every table of the data contract, with the planted effects of
 * {@link PlantedModel}, and {@code truth.json} beside the tables.
 *
 * <p>Customers are split into slices of at most {@value #SLICE_INTERACTIONS} interactions, each
 * with its own seeded generator and its own part files, so the output is the same for any number
 * of threads and memory stays flat in the number of interactions. With
 * {@link GeneratorParams.Order#TIME} each slice sorts its interactions by contact time (holding
 * them until it ends), and the slices' files are then merged into files of the same sizes that
 * are in time order across the whole table, as an export by contact time would be.
 */
public final class Generator {

    static final long SLICE_INTERACTIONS = 250_000;
    /** Seeds the stock-phrase agents' stream from the run's seed, apart from every other stream. */
    private static final long STOCK_PHRASE_SALT = 0x5706C9A5E5A1E5L;

    private Generator() {
    }

    /** What was written. */
    public record Result(Path output, Map<String, Long> rows) {
    }

    /** Interactions rows by {@code started_at}, then {@code interaction_id}. */
    static final Comparator<Object[]> INTERACTIONS_BY_TIME = interactionsByTime();

    private static Comparator<Object[]> interactionsByTime() {
        List<String> columns = Contract.INTERACTIONS.columns().stream().map(ColumnSpec::name).toList();
        int startedAt = columns.indexOf("started_at");
        int id = columns.indexOf("interaction_id");
        return Comparator.<Object[], Instant>comparing(r -> (Instant) r[startedAt])
                .thenComparing(r -> (String) r[id]);
    }

    public static Result generate(Path output, GeneratorParams params, Consumer<String> progress) {
        long began = System.nanoTime();
        try {
            Files.createDirectories(output);
            for (TableSpec table : Contract.TABLES) {
                Path folder = output.resolve(table.name());
                deleteParts(folder);
                Files.createDirectories(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + output, e);
        }
        SplittableRandom root = new SplittableRandom(params.seed());
        Workforce workforce = new Workforce(params.interactions(), root.split());
        workforce.plantStockPhrases(new SplittableRandom(params.seed() ^ STOCK_PHRASE_SALT));
        workforce.writeAgents(output.resolve("agents").resolve("part-00000.parquet"));
        workforce.writeShifts(output.resolve("shifts").resolve("part-00000.parquet"));
        workforce.writePulse(output.resolve("agent_pulse").resolve("part-00000.parquet"), root.split());
        progress.accept(String.format(Locale.ROOT, "generate: %,d agents, %,d shifts (%.1f s)",
                workforce.agentCount, workforce.shiftCount, seconds(began)));

        int slices = (int) ((params.interactions() + SLICE_INTERACTIONS - 1) / SLICE_INTERACTIONS);
        long sliceSeedBase = root.nextLong();
        QaRaters raters = new QaRaters(params.seed());
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(params.threads(), slices));
        List<Future<CustomerSlice.Counts>> futures = new ArrayList<>();
        try {
            for (int s = 0; s < slices; s++) {
                long quota = params.interactions() / slices + (s < params.interactions() % slices ? 1 : 0);
                int slice = s;
                long sliceSeed = new SplittableRandom(sliceSeedBase + s).nextLong();
                futures.add(pool.submit(() -> {
                    CustomerSlice.Counts c = new CustomerSlice(slice, quota, workforce, sliceSeed, raters)
                            .run(output, partName(slice), params.order());
                    progress.accept(String.format(Locale.ROOT, "generate: slice %d/%d, %,d interactions (%.1f s)",
                            slice + 1, slices, c.interactions(), seconds(began)));
                    return c;
                }));
            }
            CustomerSlice.Counts total = new CustomerSlice.Counts(0, 0, 0, 0, 0, new ConversationTruth(),
                    new FatigueTruth(workforce.agentCount), new AuditTruth(workforce.agentCount));
            for (Future<CustomerSlice.Counts> f : futures) {
                total = total.plus(f.get());
            }
            if (params.order() == GeneratorParams.Order.TIME) {
                mergeByTime(output.resolve("interactions"), slices);
                progress.accept(String.format(Locale.ROOT, "generate: interactions merged in time order (%.1f s)",
                        seconds(began)));
            }
            Map<String, Long> rows = new LinkedHashMap<>();
            rows.put("interactions", total.interactions());
            rows.put("csat", total.csat());
            rows.put("turns", total.turns());
            rows.put("customers", total.customers());
            rows.put("agents", (long) workforce.agentCount);
            rows.put("shifts", (long) workforce.shiftCount);
            rows.put("qa_ratings", total.qaRatings());
            rows.put("agent_pulse", countPulse(output));
            Map<String, Object> truth = PlantedModel.truth(params, rows, total.conversations());
            PlantedModel.addFatigue(truth, total.fatigue());
            truth.put("audit", total.audit().toTruth(workforce));
            writeTruth(output.resolve("truth.json"), truth);
            progress.accept(String.format(Locale.ROOT, "generate: %,d interactions, %,d customers, %,d turns (%.1f s)",
                    total.interactions(), total.customers(), total.turns(), seconds(began)));
            return new Result(output, rows);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("generation interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    static Instant instantAt(double dayOfPeriod) {
        return PlantedModel.PERIOD_START.plus(Duration.ofSeconds(Math.round(dayOfPeriod * 86_400)));
    }

    private static long countPulse(Path output) {
        try (var in = org.apache.parquet.hadoop.ParquetFileReader.open(
                new org.apache.parquet.io.LocalInputFile(output.resolve("agent_pulse").resolve("part-00000.parquet")))) {
            return in.getRecordCount();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeTruth(Path file, Map<String, Object> truth) {
        ObjectMapper mapper = new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        try {
            Files.writeString(file, mapper.writeValueAsString(truth) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /**
     * Merges the {@code slices} interactions files of {@code folder}, each sorted by
     * {@link #INTERACTIONS_BY_TIME}, into as many files of the same row counts that are in that
     * order across the table: part-00000 holds the earliest contacts. One row per file is held.
     */
    private static void mergeByTime(Path folder, int slices) {
        Path bySlice = folder.resolveSibling(folder.getFileName() + ".by-slice");
        List<ParquetRowReader> readers = new ArrayList<>();
        try {
            // Only part files sit there (from a run that stopped half way, if any).
            deleteParts(bySlice);
            Files.deleteIfExists(bySlice);
            Files.move(folder, bySlice);
            Files.createDirectories(folder);
            long[] counts = new long[slices];
            PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparing(Head::row, INTERACTIONS_BY_TIME));
            for (int s = 0; s < slices; s++) {
                ParquetRowReader reader = new ParquetRowReader(bySlice.resolve(partName(s)), Contract.INTERACTIONS);
                readers.add(reader);
                counts[s] = reader.rows();
                Object[] first = reader.next();
                if (first != null) {
                    heads.add(new Head(first, reader));
                }
            }
            for (int s = 0; s < slices; s++) {
                try (ParquetTableWriter out = new ParquetTableWriter(folder.resolve(partName(s)), Contract.INTERACTIONS)) {
                    for (long r = 0; r < counts[s]; r++) {
                        Head head = heads.poll();
                        out.write(head.row());
                        Object[] next = head.reader().next();
                        if (next != null) {
                            heads.add(new Head(next, head.reader()));
                        }
                    }
                }
            }
            readers.forEach(ParquetRowReader::close);
            readers.clear();
            deleteParts(bySlice);
            Files.delete(bySlice);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot merge the interactions of " + folder + " in time order", e);
        } finally {
            readers.forEach(ParquetRowReader::close);
        }
    }

    /** A slice file's next row in the merge, and the reader it came from. */
    private record Head(Object[] row, ParquetRowReader reader) {
    }

    private static String partName(int slice) {
        return String.format(Locale.ROOT, "part-%05d.parquet", slice);
    }

    /** Removes part files an earlier generation left, so that a smaller run leaves no stale parts. */
    private static void deleteParts(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        try (var files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.startsWith("part-") && name.endsWith(".parquet")) {
                    Files.delete(f);
                }
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
