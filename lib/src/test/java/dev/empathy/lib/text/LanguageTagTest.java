package dev.empathy.lib.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class LanguageTagTest {

    @Test
    void thePrimarySubtagDecides() {
        assertEquals("pt", LanguageTag.primary("pt-BR"));
        assertEquals("pt", LanguageTag.primary("pt-PT"));
        assertEquals("de", LanguageTag.primary("de_DE"));
        assertEquals("zh", LanguageTag.primary("zh-Hant-TW"));
        assertEquals("ja", LanguageTag.primary("ja"));
    }

    @Test
    void trimmedAndLowerCasedWithoutTheDefaultLocale() {
        assertEquals("en", LanguageTag.primary("  EN-us "));
        // Under a Turkish default locale "TR".toLowerCase() would hold a dotless i; ROOT keeps "tr".
        assertEquals("tr", LanguageTag.primary("TR"));
        assertEquals("fil", LanguageTag.primary("fil-PH"));
    }

    @Test
    void unknownLanguages() {
        assertNull(LanguageTag.primary(null));
        assertNull(LanguageTag.primary(""));
        assertNull(LanguageTag.primary("   "));
        assertNull(LanguageTag.primary("und"));
        assertNull(LanguageTag.primary("UND-Latn"));
        assertNull(LanguageTag.primary("-BR"));
    }
}
