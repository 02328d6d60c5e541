package io.rrtcp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class ShellWordsTest {

    @Test
    void whitespaceRunsSeparateWords() {
        assertEquals(List.of("php", "worker.php"), ShellWords.split("  php \t worker.php\n"));
    }

    @Test
    void commasDoNotSplitWordsUnlikeUpstream() {
        assertEquals(List.of("php", "-d", "a=1,2", "w.php"), ShellWords.split("php -d a=1,2 w.php"));
    }

    @Test
    void singleQuotesKeepEverythingLiteral() {
        assertEquals(List.of("php", "my \"worker\" \\n $X.php"), ShellWords.split("php 'my \"worker\" \\n $X.php'"));
    }

    @Test
    void doubleQuotesAllowEscapedQuoteBackslashDollarAndBacktick() {
        assertEquals(List.of("echo", "say \"hi\" \\ $HOME `x`"),
                ShellWords.split("echo \"say \\\"hi\\\" \\\\ \\$HOME \\`x\\`\""));
    }

    @Test
    void insideDoubleQuotesOtherBackslashesStay() {
        assertEquals(List.of("C:\\path\\w.php"), ShellWords.split("\"C:\\path\\w.php\""));
    }

    @Test
    void backslashOutsideQuotesEscapesTheNextCharacter() {
        assertEquals(List.of("my worker.php", "'x'"), ShellWords.split("my\\ worker.php \\'x\\'"));
    }

    @Test
    void backslashNewlineContinuesTheLine() {
        assertEquals(List.of("php", "worker.php"), ShellWords.split("php \\\nworker.php"));
    }

    @Test
    void trailingBackslashIsKeptLiterallyAsShDoes() {
        assertEquals(List.of("a\\"), ShellWords.split("a\\"));
    }

    @Test
    void adjacentQuotedPartsJoinIntoOneWord() {
        assertEquals(List.of("--opt=a b", "xy"), ShellWords.split("--opt=\"a b\" 'x'\"y\""));
    }

    @Test
    void emptyQuotesMakeAnEmptyWord() {
        assertEquals(List.of("php", "", "w.php"), ShellWords.split("php '' w.php"));
        assertEquals(List.of(""), ShellWords.split("\"\""));
    }

    @Test
    void blankLineHasNoWords() {
        assertEquals(List.of(), ShellWords.split(" \t "));
    }

    @Test
    void unterminatedQuotesAreErrors() {
        assertEquals("unterminated double quote in: php \"worker.php",
                assertThrows(IllegalArgumentException.class, () -> ShellWords.split("php \"worker.php")).getMessage());
        assertEquals("unterminated single quote in: php 'w",
                assertThrows(IllegalArgumentException.class, () -> ShellWords.split("php 'w")).getMessage());
        assertEquals("unterminated double quote in: \"a\\\"",
                assertThrows(IllegalArgumentException.class, () -> ShellWords.split("\"a\\\"")).getMessage());
    }
}
