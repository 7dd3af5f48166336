package dev.empathy.lib.text;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Serializable;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Codebooks by language: the shipped defaults ({@link #defaults()}) or a team's own folder of
 * {@code <language>.csv} files ({@link #load(Path)}), read with Apache Commons CSV and checked
 * rule by rule, so that a mistake is reported with its file, line and rule rather than found as
 * odd codes later. The format is in {@code docs/codebooks.md}.
 */
public final class Codebooks implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The languages shipped, the ones the sample generator writes. */
    public static final List<String> SHIPPED = List.of("de", "en", "es", "fr", "ja", "pt");

    static final String RESOURCES = "/dev/empathy/lib/text/codebooks/";
    private static final List<String> COLUMNS = List.of("kind", "pattern", "code", "weight");
    private static final Pattern WILDCARD_INSIDE = Pattern.compile("\\*\\S");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[a-z0-9]{2,8})*");
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setCommentMarker('#')
            .setIgnoreEmptyLines(true)
            .setIgnoreSurroundingSpaces(true)
            .get();

    private final Map<String, Codebook> byLanguage;

    private Codebooks(Map<String, Codebook> byLanguage) {
        this.byLanguage = Collections.unmodifiableMap(new TreeMap<>(byLanguage));
    }

    /** The codebooks shipped in this library, one for each of {@link #SHIPPED}. */
    public static Codebooks defaults() {
        Map<String, Codebook> books = new LinkedHashMap<>();
        for (String language : SHIPPED) {
            String name = language + ".csv";
            try (InputStream in = Codebooks.class.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IllegalStateException("the shipped codebook " + name + " is missing from the library");
                }
                books.put(language, read(language, new String(in.readAllBytes(), StandardCharsets.UTF_8),
                        "(shipped) " + name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the shipped codebook " + name, e);
            }
        }
        return new Codebooks(books);
    }

    /**
     * Every {@code <language>.csv} in a folder (UTF-8), such as a team's copy of the shipped
     * codebooks passed with {@code --codebook DIR}.
     *
     * @throws CodebookException when the folder holds no codebook or a codebook has a bad rule
     */
    public static Codebooks load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new CodebookException(dir.toString(), 0, "is not a directory of <language>.csv codebooks");
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new CodebookException(dir.toString(), 0, "holds no <language>.csv codebook");
        }
        Map<String, Codebook> books = new LinkedHashMap<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            String language = name.substring(0, name.length() - ".csv".length());
            books.put(language, read(language, Files.readString(file, StandardCharsets.UTF_8), file.toString()));
        }
        return new Codebooks(books);
    }

    /** One codebook from its text; {@code source} names it in messages. */
    public static Codebook read(String language, Reader reader, String source) throws IOException {
        StringBuilder b = new StringBuilder();
        char[] buffer = new char[8192];
        for (int r; (r = reader.read(buffer)) >= 0; ) {
            b.append(buffer, 0, r);
        }
        return read(language, b.toString(), source);
    }

    private static Codebook read(String language, String text, String source) {
        if (!LANGUAGE.matcher(language).matches()) {
            throw new CodebookException(source, 0, String.format(Locale.ROOT,
                    "'%s' is not a language tag; name a codebook after its language, such as en.csv", language));
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Line> lines = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(text), FORMAT)) {
            List<String> header = parser.getHeaderNames().stream()
                    .map(h -> h.strip().toLowerCase(Locale.ROOT)).toList();
            if (!header.containsAll(COLUMNS)) {
                throw new CodebookException(source, 1, String.format(Locale.ROOT,
                        "the header is '%s', expected the columns %s", String.join(",", parser.getHeaderNames()),
                        String.join(",", COLUMNS)));
            }
            for (CSVRecord record : parser) {
                lines.add(new Line(lineOf(text, record.getCharacterPosition()),
                        field(record, "kind"), field(record, "pattern"), field(record, "code"),
                        field(record, "weight")));
            }
        } catch (CodebookException e) {
            throw e;
        } catch (IOException | IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            // The text is in memory: any failure here is the file's CSV, not the disk.
            throw new CodebookException(source, 0, "is not valid CSV: " + e.getMessage());
        }
        Codebook.Settings settings = settings(lines, source);
        List<Codebook.Rule> rules = new ArrayList<>();
        Map<String, Long> seen = new HashMap<>();
        for (Line line : lines) {
            Codebook.Kind kind = kind(line, source);
            if (kind == Codebook.Kind.SETTING) {
                continue;
            }
            Codebook.Rule rule = rule(kind, line, settings, source);
            String[] units = Units.cut(rule.pattern(), settings, true).units();
            String key = (kind == Codebook.Kind.EMPATHY_PHRASE ? "agent " : "customer ") + String.join(" ", units);
            Long earlier = seen.putIfAbsent(key, line.number);
            if (earlier != null) {
                throw line.error(source, String.format(Locale.ROOT,
                        "pattern '%s' is already a rule at line %d (%s); each pattern may appear once",
                        line.pattern, earlier, kind == Codebook.Kind.EMPATHY_PHRASE ? "agent phrases"
                                : "customer cues, negations, intensifiers and contrasts share one list"));
            }
            rules.add(rule);
        }
        return new Codebook(language, source, settings, rules);
    }

    /**
     * The line a record starts on. Commons CSV gives the record's character position, which for a
     * record after comments is where the comments begin; the record is on the first line from
     * there that is neither blank nor a comment ('#' in the first column).
     */
    private static long lineOf(String text, long characterPosition) {
        long line = 1;
        int i = 0;
        for (; i < characterPosition && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        while (i < text.length()) {
            int end = text.indexOf('\n', i);
            String content = text.substring(i, end < 0 ? text.length() : end);
            if (!content.isBlank() && !content.startsWith("#")) {
                break;
            }
            if (end < 0) {
                break;
            }
            i = end + 1;
            line++;
        }
        return line;
    }

    private static String field(CSVRecord record, String column) {
        for (Map.Entry<String, Integer> h : record.getParser().getHeaderMap().entrySet()) {
            if (h.getKey().strip().toLowerCase(Locale.ROOT).equals(column)) {
                int index = h.getValue();
                return index < record.size() ? record.get(index).strip() : "";
            }
        }
        return "";
    }

    private static Codebook.Kind kind(Line line, String source) {
        for (Codebook.Kind k : Codebook.Kind.values()) {
            if (k.label().equals(line.kind.toLowerCase(Locale.ROOT))) {
                return k;
            }
        }
        throw line.error(source, String.format(Locale.ROOT, "kind '%s' is not one of %s", line.kind,
                Arrays.stream(Codebook.Kind.values()).map(Codebook.Kind::label).collect(Collectors.joining(", "))));
    }

    private static Codebook.Rule rule(Codebook.Kind kind, Line line, Codebook.Settings settings, String source) {
        if (line.pattern.isEmpty()) {
            throw line.error(source, "pattern is empty");
        }
        Units.Cut cut = Units.cut(line.pattern, settings, true);
        long words = Arrays.stream(cut.units()).filter(u -> !u.equals(Units.BOUNDARY)).count();
        if (words == 0) {
            throw line.error(source, String.format(Locale.ROOT, "pattern '%s' has no letters or digits", line.pattern));
        }
        if (cut.units()[0].equals(Units.BOUNDARY)) {
            throw line.error(source, String.format(Locale.ROOT,
                    "pattern '%s' starts with punctuation; start it with a word", line.pattern));
        }
        checkWildcards(line, cut, settings, source);
        if (kind == Codebook.Kind.WORD && settings.segmentation() == Codebook.Segmentation.WORDS && words > 1) {
            throw line.error(source, String.format(Locale.ROOT,
                    "word '%s' has %d words; use kind phrase", line.pattern, words));
        }
        VerbatimCode code = null;
        double weight = 1;
        if (kind.isCue()) {
            code = VerbatimCode.ofLabel(line.code).filter(c -> c != VerbatimCode.UNCLEAR).orElseThrow(() ->
                    line.error(source, String.format(Locale.ROOT,
                            "code '%s' is not one of hostile, neutral, cooperative (unclear is what a turn "
                                    + "without cues gets, not a rule's code)", line.code)));
            weight = line.weight.isEmpty() ? 1 : number(line, source, true);
        } else if (kind == Codebook.Kind.INTENSIFIER) {
            noCode(line, source, kind);
            if (line.weight.isEmpty()) {
                throw line.error(source, "an intensifier needs a weight, its factor (1.5 strengthens, 0.5 softens)");
            }
            weight = number(line, source, false);
        } else {
            noCode(line, source, kind);
            if (!line.weight.isEmpty()) {
                throw line.error(source, String.format(Locale.ROOT,
                        "a %s has no weight, found '%s'", kind.label(), line.weight));
            }
        }
        return new Codebook.Rule(kind, line.pattern, code, weight, line.number);
    }

    private static void checkWildcards(Line line, Units.Cut cut, Codebook.Settings settings, String source) {
        long stars = line.pattern.chars().filter(c -> c == '*').count();
        if (stars == 0) {
            return;
        }
        if (settings.segmentation() == Codebook.Segmentation.CHARACTERS) {
            throw line.error(source, String.format(Locale.ROOT,
                    "pattern '%s' has a '*', but with segmentation characters every pattern already matches "
                            + "as a substring", line.pattern));
        }
        long ending = Arrays.stream(cut.units()).filter(u -> u.length() > 1 && u.endsWith("*")
                && u.indexOf('*') == u.length() - 1).count();
        if (ending != stars || WILDCARD_INSIDE.matcher(line.pattern).find()) {
            throw line.error(source, String.format(Locale.ROOT,
                    "pattern '%s': a '*' may only end a word (frustrat*)", line.pattern));
        }
    }

    private static void noCode(Line line, String source, Codebook.Kind kind) {
        if (!line.code.isEmpty()) {
            throw line.error(source, String.format(Locale.ROOT,
                    "a %s has no code, found '%s'", kind.label(), line.code));
        }
    }

    /** A weight: 0 or more for a cue (0 blocks a pattern), more than 0 for an intensifier's factor. */
    private static double number(Line line, String source, boolean zeroAllowed) {
        double w;
        try {
            w = Double.parseDouble(line.weight);
        } catch (NumberFormatException e) {
            throw line.error(source, String.format(Locale.ROOT, "weight '%s' is not a number", line.weight));
        }
        if (Double.isNaN(w) || Double.isInfinite(w) || w < 0 || (w == 0 && !zeroAllowed)) {
            throw line.error(source, String.format(Locale.ROOT, "weight %s is not a finite number %s", line.weight,
                    zeroAllowed ? "of 0 or more" : "above 0"));
        }
        return w;
    }

    private static Codebook.Settings settings(List<Line> lines, String source) {
        Codebook.Settings d = Codebook.Settings.defaults();
        Map<String, Line> given = new LinkedHashMap<>();
        for (Line line : lines) {
            if (!line.kind.equalsIgnoreCase("setting")) {
                continue;
            }
            String name = line.pattern.toLowerCase(Locale.ROOT);
            if (!Set.of("segmentation", "fold_accents", "negation_scope", "negation_window", "intensifier_window",
                    "contrast_weight", "threshold", "min_words").contains(name)) {
                throw line.error(source, String.format(Locale.ROOT, "setting '%s' is not one of segmentation, "
                        + "fold_accents, negation_scope, negation_window, intensifier_window, contrast_weight, "
                        + "threshold, min_words", line.pattern));
            }
            if (!line.weight.isEmpty()) {
                throw line.error(source, String.format(Locale.ROOT,
                        "setting %s: its value goes in the code column, and the weight column stays empty", name));
            }
            Line earlier = given.put(name, line);
            if (earlier != null) {
                throw line.error(source, String.format(Locale.ROOT,
                        "setting %s is already set at line %d", name, earlier.number));
            }
        }
        return new Codebook.Settings(
                choice(given.get("segmentation"), source, Codebook.Segmentation.class, d.segmentation()),
                given.containsKey("fold_accents")
                        ? choice(given.get("fold_accents"), source, Flag.class, Flag.FALSE) == Flag.TRUE
                        : d.foldAccents(),
                choice(given.get("negation_scope"), source, Codebook.NegationScope.class, d.negationScope()),
                count(given.get("negation_window"), source, d.negationWindow()),
                count(given.get("intensifier_window"), source, d.intensifierWindow()),
                number(given.get("contrast_weight"), source, d.contrastWeight(), 0, 1),
                number(given.get("threshold"), source, d.threshold(), Double.MIN_VALUE, Double.MAX_VALUE),
                count(given.get("min_words"), source, d.minWords()));
    }

    private enum Flag { TRUE, FALSE }

    private static <E extends Enum<E>> E choice(Line line, String source, Class<E> type, E fallback) {
        if (line == null) {
            return fallback;
        }
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(line.code)) {
                return e;
            }
        }
        throw line.error(source, String.format(Locale.ROOT, "setting %s: '%s' is not one of %s", line.pattern,
                line.code, Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT))
                        .collect(Collectors.joining(", "))));
    }

    private static int count(Line line, String source, int fallback) {
        if (line == null) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(line.code);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw line.error(source, String.format(Locale.ROOT,
                "setting %s: '%s' is not a whole number of 0 or more", line.pattern, line.code));
    }

    private static double number(Line line, String source, double fallback, double low, double high) {
        if (line == null) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(line.code);
            if (v >= low && v <= high) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw line.error(source, String.format(Locale.ROOT, "setting %s: '%s' is not a number in %s..%s",
                line.pattern, line.code, low == Double.MIN_VALUE ? "(0" : fmt(low), high == Double.MAX_VALUE ? "inf)" : fmt(high)));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }

    /** One record of a codebook file, before it is checked. */
    private record Line(long number, String kind, String pattern, String code, String weight) {

        CodebookException error(String source, String problem) {
            return new CodebookException(source, number, problem + " (rule " + String.join(",", kind, quote(pattern), code, weight) + ")");
        }

        private static String quote(String s) {
            return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
        }
    }

    /** The languages held, in order. */
    public Set<String> languages() {
        return byLanguage.keySet();
    }

    /** Every codebook by language. */
    public Map<String, Codebook> all() {
        return byLanguage;
    }

    /**
     * The codebook of a BCP-47 tag: the whole tag if a codebook is named after it ({@code pt-br}),
     * else its primary language ({@code pt-BR} finds {@code pt}); empty when neither is held.
     */
    public Optional<Codebook> forLanguage(String tag) {
        String t = tag.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        Codebook whole = byLanguage.get(t);
        if (whole != null) {
            return Optional.of(whole);
        }
        return Optional.ofNullable(byLanguage.get(t.split("-", 2)[0]));
    }

    /** These codebooks with {@code overrides}' languages replaced or added: a team's folder over the defaults. */
    public Codebooks overriddenBy(Codebooks overrides) {
        Map<String, Codebook> merged = new TreeMap<>(byLanguage);
        merged.putAll(overrides.byLanguage);
        return new Codebooks(merged);
    }

    /** A compiled coder for each language. */
    public Map<String, VerbatimCoder> coders() {
        Map<String, VerbatimCoder> coders = new TreeMap<>();
        byLanguage.forEach((language, book) -> coders.put(language, VerbatimCoder.of(book)));
        return Collections.unmodifiableMap(coders);
    }
}
