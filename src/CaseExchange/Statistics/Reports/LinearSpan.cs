namespace CaseExchange.Statistics.Reports;

/// <summary>An exact rational number (checked 64-bit numerator and denominator, always reduced, denominator positive).</summary>
public readonly record struct Rational
{
    public long Numerator { get; }
    public long Denominator { get; }

    public Rational(long numerator, long denominator = 1)
    {
        if (denominator == 0) throw new DivideByZeroException();
        if (denominator < 0) (numerator, denominator) = (checked(-numerator), checked(-denominator));
        var gcd = Gcd(Math.Abs(numerator), denominator);
        (Numerator, Denominator) = gcd > 1 ? (numerator / gcd, denominator / gcd) : (numerator, denominator);
    }

    public bool IsZero => Numerator == 0;

    public static Rational operator *(Rational a, Rational b) =>
        new(checked(a.Numerator * b.Numerator), checked(a.Denominator * b.Denominator));

    public static Rational operator /(Rational a, Rational b) =>
        new(checked(a.Numerator * b.Denominator), checked(a.Denominator * b.Numerator));

    public static Rational operator -(Rational a, Rational b) =>
        new(checked(a.Numerator * b.Denominator - b.Numerator * a.Denominator), checked(a.Denominator * b.Denominator));

    private static long Gcd(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a == 0 ? 1 : a;
    }
}

/// <summary>
/// The span of linear forms over exact rationals, kept in reduced row echelon form (every pivot appears in its own row
/// only). A form is determined by the published figures exactly when it lies in the span of the published forms: then
/// it is a linear combination of them, and its value follows from theirs whatever the unknown counts are. Outside the
/// span, the published equalities admit two solutions that differ on it.
/// </summary>
public sealed class LinearSpan
{
    private readonly List<(int Pivot, Dictionary<int, Rational> Row)> _rows = [];

    public int Rank => _rows.Count;

    public LinearSpan Clone()
    {
        var copy = new LinearSpan();
        foreach (var (pivot, row) in _rows) copy._rows.Add((pivot, new Dictionary<int, Rational>(row)));
        return copy;
    }

    /// <summary>Adds a form (unknown index → coefficient); false when it was already in the span.</summary>
    public bool Add(IReadOnlyDictionary<int, Rational> form)
    {
        var row = Reduce(form);
        if (row.Count == 0) return false;
        // Prefer a pivot of coefficient ±1 to keep the fractions small.
        var pivot = row.OrderBy(e => Math.Abs(e.Value.Numerator) == e.Value.Denominator ? 0 : 1).ThenBy(e => e.Key).First().Key;
        var scale = row[pivot];
        foreach (var key in row.Keys.ToList()) row[key] = row[key] / scale;
        foreach (var (_, other) in _rows)
        {
            if (!other.TryGetValue(pivot, out var factor)) continue;
            foreach (var (key, value) in row)
            {
                var updated = other.GetValueOrDefault(key, new Rational(0)) - factor * value;
                if (updated.IsZero) other.Remove(key);
                else other[key] = updated;
            }
        }
        _rows.Add((pivot, row));
        return true;
    }

    /// <summary>True when the form is a linear combination of the forms added.</summary>
    public bool Contains(IReadOnlyDictionary<int, Rational> form) => Reduce(form).Count == 0;

    private Dictionary<int, Rational> Reduce(IReadOnlyDictionary<int, Rational> form)
    {
        var row = form.Where(e => !e.Value.IsZero).ToDictionary(e => e.Key, e => e.Value);
        foreach (var (pivot, basis) in _rows)
        {
            if (!row.TryGetValue(pivot, out var factor)) continue;
            foreach (var (key, value) in basis)
            {
                var updated = row.GetValueOrDefault(key, new Rational(0)) - factor * value;
                if (updated.IsZero) row.Remove(key);
                else row[key] = updated;
            }
        }
        return row;
    }
}
