package dev.empathy.lib.text;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a turn, or a codebook pattern, into the units that patterns match, the same way for both
 * so that a pattern matches whatever text reads like it. Text is normalised first: typographic
 * apostrophes to {@code '}, NFKC (full-width letters and digits to plain ones), lower case, and,
 * where the codebook asks, accents removed.
 *
 * <p>With word segmentation a unit is a run of letters and digits; an apostrophe ends a unit and
 * stays on it, so "n'est" is {@code n'} {@code est} and "don't" is {@code don'} {@code t}
 * (the French elision becomes a word of its own, and English contractions still match as the
 * two units of the pattern "don't"). With character segmentation each letter or digit is a unit
 * and spaces vanish. In both, clause punctuation ({@code . , ! ? ; :} and their CJK and Spanish
 * forms) becomes one {@link #BOUNDARY} unit, which negations and intensifiers do not cross.
 */
final class Units {

    /** A clause boundary; no word can be spelt like it, since '|' is not a letter. */
    static final String BOUNDARY = "|";

    private static final String BOUNDARY_CHARS = ".,!?;:…¿¡。、！？；：()[]「」『』";
    private static final String APOSTROPHES = "’‘ʼ`´′";

    /** The units of a text and how many words it holds (in characters, one word per two letters). */
    record Cut(String[] units, int words) {
    }

    private Units() {
    }

    static String normalise(String text, boolean foldAccents) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            b.append(APOSTROPHES.indexOf(ch) >= 0 ? '\'' : ch);
        }
        String s = Normalizer.normalize(b, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        if (foldAccents) {
            String decomposed = Normalizer.normalize(s, Normalizer.Form.NFD);
            StringBuilder f = new StringBuilder(decomposed.length());
            decomposed.codePoints()
                    .filter(cp -> Character.getType(cp) != Character.NON_SPACING_MARK)
                    .forEach(f::appendCodePoint);
            s = Normalizer.normalize(f, Normalizer.Form.NFC);
        }
        return s;
    }

    /**
     * The units of {@code text}. In a pattern ({@code pattern} true) a {@code *} stays on the
     * word it ends, as the wildcard that {@link VerbatimCoder} reads.
     */
    static Cut cut(String text, Codebook.Settings settings, boolean pattern) {
        String s = normalise(text, settings.foldAccents());
        boolean characters = settings.segmentation() == Codebook.Segmentation.CHARACTERS;
        List<String> units = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int words = 0;
        int letters = 0;
        boolean wordHasLetter = false;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            boolean letter = Character.isLetter(cp);
            boolean partOfWord = Character.isLetterOrDigit(cp) || isMark(cp);
            if (characters) {
                if (partOfWord) {
                    units.add(new String(Character.toChars(cp)));
                    letters += letter ? 1 : 0;
                } else if (BOUNDARY_CHARS.indexOf(cp) >= 0) {
                    addBoundary(units);
                }
                continue;
            }
            if (partOfWord) {
                word.appendCodePoint(cp);
                wordHasLetter |= letter;
                continue;
            }
            if (cp == '\'' && word.length() > 0) {
                word.append('\'');
            } else if (cp == '*' && pattern && word.length() > 0) {
                word.append('*');
            }
            if (word.length() > 0) {
                units.add(word.toString());
                words += wordHasLetter ? 1 : 0;
                word.setLength(0);
                wordHasLetter = false;
            }
            if (BOUNDARY_CHARS.indexOf(cp) >= 0) {
                addBoundary(units);
            }
        }
        if (word.length() > 0) {
            units.add(word.toString());
            words += wordHasLetter ? 1 : 0;
        }
        if (!units.isEmpty() && units.get(units.size() - 1).equals(BOUNDARY)) {
            units.remove(units.size() - 1);
        }
        return new Cut(units.toArray(new String[0]), characters ? letters / 2 : words);
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK;
    }

    private static void addBoundary(List<String> units) {
        if (!units.isEmpty() && !units.get(units.size() - 1).equals(BOUNDARY)) {
            units.add(BOUNDARY);
        }
    }
}
