namespace CaseExchange.Http;

/// <summary>
/// The total under a paged list, counted up to a cap: a page's cost must not grow with a council's history (an exact
/// <c>count(*)</c> reads every matching row, README « Growth with a council's history »). A list counts the rows of its
/// own order up to <see cref="LimitFor"/> — at least <see cref="Limit"/>, always past the page asked — and says when the
/// count stopped there: the total is then « plus de N », and the next page exists.
/// </summary>
public static class CappedCount
{
    public const int Limit = 1_000;

    /// <summary>How far to count for the page that skips <paramref name="skip"/> rows: past its last row, so that "next" is known.</summary>
    public static int LimitFor(int skip, int size) => Math.Max(Limit, skip + size);

    /// <summary>The total to answer from <paramref name="counted"/> rows read with a limit of <see cref="LimitFor"/> + 1.</summary>
    public static (long Total, bool Capped, bool HasNextPage) Of(int counted, int skip, int size)
    {
        var limit = LimitFor(skip, size);
        var capped = counted > limit;
        var total = Math.Min(counted, limit);
        return (total, capped, capped || total > skip + size);
    }

    /// <summary>« 1 234 » or « plus de 1 000 », for pages.</summary>
    public static string Label(long total, bool capped) =>
        (capped ? "plus de " : "") + total.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("fr-FR"));
}
