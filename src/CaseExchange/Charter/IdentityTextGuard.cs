using CaseExchange.Situations.Referral;

namespace CaseExchange.Charter;

/// <summary>Where an identity element sits in a checked text: a span, never the value nor which kind of identity it is.</summary>
public sealed record TextFinding(int Start, int Length);

/// <summary>
/// The check that refuses (or masks) any free text destined to leave the group when it names a person concerned.
/// It knows no identity: it asks, for each candidate term of the text (<see cref="IdentityTerms.InText"/>), whether
/// the council's identity index holds it. Findings say where, never what nor which kind, so that a refusal cannot
/// be used as an oracle on the kind of identity that matched.
/// </summary>
public sealed class IdentityTextGuard(Func<IReadOnlyCollection<string>, IReadOnlySet<string>> knownAmong)
{
    /// <summary>A guard that knows nothing (no live person): every text passes.</summary>
    public static readonly IdentityTextGuard Nobody = new(_ => new HashSet<string>());

    /// <summary>For pure tests and in-memory checks: the terms of these identities, in clear, in memory only.</summary>
    public static IdentityTextGuard Of(IEnumerable<PersonIdentity> persons)
    {
        var terms = persons.SelectMany(IdentityTerms.OfPerson).ToHashSet(StringComparer.Ordinal);
        return new IdentityTextGuard(candidates => candidates.Where(terms.Contains).ToHashSet(StringComparer.Ordinal));
    }

    public override string ToString() => "[contrôle d'identité des textes]";

    /// <summary>Every identity element found in the text, in order of position; empty when the text can leave the group.</summary>
    public IReadOnlyList<TextFinding> Check(string? text)
    {
        var candidates = IdentityTerms.InText(text);
        if (candidates.Count == 0) return [];
        var known = knownAmong([.. candidates.Select(c => c.Term).Distinct(StringComparer.Ordinal)]);
        return [.. candidates.Where(c => known.Contains(c.Term)).Select(c => new TextFinding(c.Start, c.Length)).Distinct()
            .OrderBy(f => f.Start).ThenBy(f => f.Length)];
    }

    public bool Names(string? text) => Check(text).Count > 0;

    /// <summary>The text with every identity element replaced by <paramref name="replacement"/> (overlapping spans merged).</summary>
    public string Mask(string text, string replacement)
    {
        var findings = Check(text);
        if (findings.Count == 0) return text;
        var result = new System.Text.StringBuilder();
        var at = 0;
        foreach (var f in findings)
        {
            if (f.Start + f.Length <= at) continue;
            if (f.Start >= at)
            {
                result.Append(text, at, f.Start - at).Append(replacement);
            }
            at = f.Start + f.Length;
        }
        result.Append(text, at, text.Length - at);
        return result.ToString();
    }

    /// <summary>Case-fold and strip diacritics (see <see cref="IdentityTerms.Fold"/>).</summary>
    public static string Fold(string value) => IdentityTerms.Fold(value);

    public static IReadOnlyList<IdentityTerms.Token> Tokenise(string text) => IdentityTerms.Tokenise(text);
}

/// <summary>The one message a guard refusal gives: it names the field, never the kind of identity that matched.</summary>
public static class IdentifyingText
{
    public const string Problem = "urn:caseexchange:problem:identifying-free-text";

    /// <summary>Recorded as the kind of every refusal, so that no record tells which kind of identity matched.</summary>
    public const string AnyKind = "identite";

    public static string Message(string fieldLabel) =>
        $"{fieldLabel} désigne une personne connue du conseil (nom, prénom, initiales, date de naissance, adresse, téléphone ou courriel) : " +
        "retirez cet élément. Ce texte est conservé en clair et sort du cercle des personnes habilitées.";
}
