namespace CaseExchange.Statistics;

/// <summary>
/// Statistical disclosure control of one line of counts (charter, article 10): no count below the threshold is
/// published, and no suppressed count can be recomputed from what is published, the line's total included.
/// <para>
/// Primary suppression: every count with 0 &lt; count &lt; threshold. Zeros single no one out and are published, except
/// in a line that has suppressed cells: there they are suppressed too, because a published zero next to suppressed
/// cells tells that those are at least 1 (five suppressed cells that add up to five would then all be 1).
/// Complementary suppression: while fewer than two cells are suppressed, or the suppressed cells together hold less
/// than the threshold (their sum is known by subtraction from the total, and would itself be a small count), or one of
/// them could be pinned by bounds (a small count is below the threshold, a complement at most the smallest published
/// count: knowing the sum and these rules, a cell squeezed between them is known), the smallest published count is
/// suppressed too. A line whose total is below the threshold is suppressed whole by the caller, total included.
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
            if (Protected(counts, suppressed, threshold)) return suppressed;
            var next = -1;
            for (var i = 0; i < counts.Count; i++)
                if (!suppressed[i] && (next < 0 || counts[i] < counts[next])) next = i;
            if (next < 0) return suppressed; // everything is suppressed already
            suppressed[next] = true;
        }
    }

    /// <summary>
    /// At least two cells suppressed, holding together at least the threshold, and each non-zero suppressed cell still
    /// uncertain for someone who knows the total, the published cells and the role of every suppressed cell: a small
    /// count lies in [1, threshold - 1], a complement in [threshold, smallest published count].
    /// </summary>
    public static bool Protected(IReadOnlyList<int> counts, bool[] suppressed, int threshold)
    {
        var cells = 0;
        long sum = 0, least = 0, most = 0;
        var smallestPublished = long.MaxValue / 1024;
        for (var i = 0; i < counts.Count; i++)
            if (!suppressed[i]) smallestPublished = Math.Min(smallestPublished, counts[i]);
        (long Low, long High) Bounds(int count) => count == 0 ? (0, 0) : count < threshold ? (1, threshold - 1) : (threshold, smallestPublished);
        for (var i = 0; i < counts.Count; i++)
        {
            if (!suppressed[i]) continue;
            cells++;
            sum += counts[i];
            least += Bounds(counts[i]).Low;
            most += Bounds(counts[i]).High;
        }
        if (cells < 2 || sum < threshold) return false;
        for (var i = 0; i < counts.Count; i++)
        {
            if (!suppressed[i] || counts[i] == 0) continue;
            var (low, high) = Bounds(counts[i]);
            var lowest = Math.Max(low, sum - (most - high));
            var highest = Math.Min(high, sum - (least - low));
            if (highest <= lowest) return false;
        }
        return true;
    }
}
