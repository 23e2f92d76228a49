namespace CaseExchange.Statistics;

/// <summary>
/// Statistical disclosure control of one line of counts (charter, article 10): no count below the threshold is
/// published, and no suppressed count can be recomputed from what is published, the line's total included.
/// <para>
/// Primary suppression: every count with 0 &lt; count &lt; threshold. Zeros single no one out and are published, except
/// in a line that has suppressed cells: there they are suppressed too, because a published zero next to suppressed
/// cells tells that those are at least 1 (five suppressed cells that add up to five would then all be 1).
/// Complementary suppression: while fewer than two cells are suppressed, or the suppressed cells together hold less
/// than the threshold (their sum is known by subtraction from the total, and would itself be a small count), the
/// smallest published count is suppressed too. A line whose total is below the threshold is suppressed whole by the
/// caller, total included.
/// </para>
/// </summary>
public static class Suppression
{
    public static bool[] Protect(IReadOnlyList<int> counts, int threshold)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 2);
        if (counts.Any(c => c < 0)) throw new ArgumentOutOfRangeException(nameof(counts), "Counts are never negative.");

        var suppressed = counts.Select(c => c > 0 && c < threshold).ToArray();
        if (!suppressed.Any(s => s)) return suppressed;
        for (var i = 0; i < counts.Count; i++)
            if (counts[i] == 0) suppressed[i] = true;

        while (true)
        {
            var cells = 0;
            var sum = 0;
            for (var i = 0; i < counts.Count; i++)
            {
                if (!suppressed[i]) continue;
                cells++;
                sum += counts[i];
            }
            if (cells >= 2 && sum >= threshold) return suppressed;

            var next = -1;
            for (var i = 0; i < counts.Count; i++)
                if (!suppressed[i] && (next < 0 || counts[i] < counts[next])) next = i;
            if (next < 0) return suppressed; // everything is suppressed already
            suppressed[next] = true;
        }
    }
}
