namespace CaseExchange.Charter;

/// <summary>A paragraph of the charter's text that a version added or removed.</summary>
public sealed record ParagraphChange(bool Added, string Paragraph);

/// <summary>The entries of one closed list that a version added or removed.</summary>
public sealed record ListChange(string List, string Label, IReadOnlyList<ListEntry> Added, IReadOnlyList<ListEntry> Removed);

/// <summary>A value of the policy (threshold, retention period) that a version changed.</summary>
public sealed record ValueChange(string Label, string From, string To);

/// <summary>What changed between the version a member signed and the version in force.</summary>
public sealed record CharterChanges(
    string FromVersion, string ToVersion, IReadOnlyList<ParagraphChange> Paragraphs, IReadOnlyList<ListChange> Lists, IReadOnlyList<ValueChange> Values,
    bool SignedTextKept = true)
{
    public bool None => Paragraphs.Count == 0 && Lists.Count == 0 && Values.Count == 0;
}

/// <summary>Pure comparison of two charter versions: their texts paragraph by paragraph, their lists entry by entry, their values.</summary>
public static class CharterDiff
{
    public static CharterChanges Between(string fromVersion, string fromText, CharterPolicy from, string toVersion, string toText, CharterPolicy to)
    {
        var lists = CharterLists.All
            .Select(l =>
            {
                var (before, after) = (l.Of(from), l.Of(to));
                return new ListChange(l.Name, l.Label,
                    [.. after.Where(a => before.All(b => b.Code != a.Code))], [.. before.Where(b => after.All(a => a.Code != b.Code))]);
            })
            .Where(c => c.Added.Count > 0 || c.Removed.Count > 0)
            .ToList();

        var values = new List<ValueChange>();
        void Value(string label, int before, int after, string unit)
        {
            if (before != after) values.Add(new ValueChange(label, $"{before}{unit}", $"{after}{unit}"));
        }
        Value("Seuil des statistiques (effectif minimal publié)", from.Statistics.MinimumCount, to.Statistics.MinimumCount, "");
        Value("Durée d'archive inactive avant effacement", from.Retention.InactiveArchiveYears, to.Retention.InactiveArchiveYears, " ans");
        Value("Âge limite de conservation", from.Retention.AgeLimitYears, to.Retention.AgeLimitYears, " ans");

        return new CharterChanges(fromVersion, toVersion, Paragraphs(fromText, toText), lists, values);
    }

    /// <summary>The text cut into paragraphs (blank lines), each trimmed and with its inner line breaks kept.</summary>
    public static IReadOnlyList<string> ParagraphsOf(string text) =>
        [.. text.Replace("\r\n", "\n").Split("\n\n").Select(p => p.Trim()).Where(p => p.Length > 0)];

    /// <summary>
    /// The paragraphs removed from <paramref name="before"/> and added in <paramref name="after"/>, in reading order: a
    /// longest-common-subsequence diff (a changed paragraph shows as removed then added).
    /// </summary>
    public static IReadOnlyList<ParagraphChange> Paragraphs(string before, string after)
    {
        var (a, b) = (ParagraphsOf(before), ParagraphsOf(after));
        // Common prefix and suffix first: the usual revision touches a few paragraphs of a long text.
        var start = 0;
        while (start < a.Count && start < b.Count && a[start] == b[start]) start++;
        var (endA, endB) = (a.Count, b.Count);
        while (endA > start && endB > start && a[endA - 1] == b[endB - 1]) { endA--; endB--; }

        var (n, m) = (endA - start, endB - start);
        var lcs = new int[n + 1, m + 1];
        for (var i = n - 1; i >= 0; i--)
        for (var j = m - 1; j >= 0; j--)
            lcs[i, j] = a[start + i] == b[start + j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);

        var changes = new List<ParagraphChange>();
        var (x, y) = (0, 0);
        while (x < n || y < m)
        {
            if (x < n && y < m && a[start + x] == b[start + y]) { x++; y++; }
            else if (x < n && (y == m || lcs[x + 1, y] >= lcs[x, y + 1])) changes.Add(new ParagraphChange(false, a[start + x++]));
            else changes.Add(new ParagraphChange(true, b[start + y++]));
        }
        return changes;
    }
}
