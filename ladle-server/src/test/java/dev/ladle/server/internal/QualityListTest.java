package dev.ladle.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing a weighted list such as {@code Accept} or {@code Accept-Encoding} (RFC 9110 section 12.4.2). */
class QualityListTest {
    @Test
    void qvaluesAreThousandthsAndAnythingElseIsMalformed() {
        assertThat(QualityList.parseQuality("1.")).isEqualTo(1000);
        assertThat(QualityList.parseQuality("0.5")).isEqualTo(500);
        assertThat(QualityList.parseQuality("0.125")).isEqualTo(125);
        assertThat(List.of("", "2", "abc", ".5", "0.1234", "1.001", "0,5"))
                .allSatisfy(q -> assertThat(QualityList.parseQuality(q)).as(q).isEqualTo(QualityList.MALFORMED));
    }

    @Test
    void elementsSplitOutsideQuotesWithTheirWeights() {
        List<QualityList.Element> list = QualityList.parse("text/plain;x=\"a,b\";Q=0.7, , gzip, br;q=x");
        assertThat(list).extracting(e -> e.value().value()).containsExactly("text/plain", "gzip", "br");
        assertThat(list).extracting(QualityList.Element::quality).containsExactly(700, 1000, QualityList.MALFORMED);
        assertThat(list.get(0).value().parameter("x")).isEqualTo("a,b");
    }
}
