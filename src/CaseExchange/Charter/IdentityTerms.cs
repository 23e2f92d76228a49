using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CaseExchange.Situations.Referral;

namespace CaseExchange.Charter;

/// <summary>
/// A normalised identity term found in a text, with its span. The term is NOMINATIVE, IN CLEAR: it lives only in
/// memory, for the time of one check, and is hashed before any comparison with the identity index.
/// </summary>
public sealed record TermAt(string Term, int Start, int Length)
{
    public override string ToString() => $"[terme d'identité en {Start}]";
}

/// <summary>
/// Pure: the normalised "terms" of an identity (what the identity index stores, once keyed-hashed) and the candidate
/// terms of a free text (what a guard looks up). Both sides produce the same strings for the same identity element,
/// so a check is a set lookup: no identity is ever needed in clear to check a text.
/// <para>
/// Matching is case- and accent-insensitive, on whole words: names and their parts ("Jean-Pierre" is "jean", "pierre",
/// "jean pierre" and "jeanpierre"), a name split or joined around a particle ("Delépine", "De Lépine", "de lepine";
/// "de La Tour", "Delatour", "Latour"), a truncated name (the first four letters or more), initials ("Z. P.", "ZP",
/// "Mme Z.", and the initials of a compound surname alone), the birth date in the usual written forms, the distinctive
/// words of the address (street name, not the number, street type or city), the phone number (digits only, +33 or 0),
/// the e-mail and its local part, the distinctive words of the school or job and the legal representatives' names.
/// It errs towards refusal: a common word that happens to be a concerned person's name (e.g. "Rose") is refused too.
/// </para>
/// <para>
/// Term namespaces: <c>w:</c> a word, or adjacent words joined without spaces; <c>p:</c> a truncation (prefix of four
/// letters or more); <c>ph:</c> a phrase of words; <c>i:</c> initials; <c>i1:</c> a civility and a surname's initial;
/// <c>d:</c>, <c>d2:</c>, <c>dm:</c>, <c>y:</c> date forms; <c>t:</c> phone digits; <c>e:</c> an e-mail; <c>id:</c> a
/// person's exact name, first name and birth date (the right-of-access search).
/// </para>
/// </summary>
public static partial class IdentityTerms
{
    private const int MinimumTruncation = 4;
    private const int MaxJoinedWords = 4;
    private const int MaxPhraseWords = 8;

    /// <summary>Every term of one person's identity. NOMINATIVE, IN CLEAR: hash them at once.</summary>
    public static IReadOnlySet<string> OfPerson(PersonIdentity person)
    {
        var terms = new HashSet<string>(StringComparer.Ordinal);
        void Word(string w, bool truncatable)
        {
            terms.Add("w:" + w);
            if (truncatable && w.Length > MinimumTruncation)
                for (var n = MinimumTruncation; n < w.Length; n++) terms.Add("p:" + w[..n]);
        }
        void Phrase(IReadOnlyList<string> words)
        {
            if (words.Count >= 2 && words.Count <= MaxPhraseWords) terms.Add("ph:" + string.Join(' ', words));
        }

        var surnameAll = Words(person.Nom);
        var firstAll = Words(person.Prenom);
        var surname = surnameAll.Where(p => !NameParticles.Contains(p)).ToList();
        var firstName = firstAll.Where(p => !NameParticles.Contains(p)).ToList();

        foreach (var parts in new[] { surname, firstName })
        {
            foreach (var part in parts)
                // One letter: only as an initial. A function word ("le", "da"): only within the full name.
                if (part.Length >= 2 && !StopWords.Contains(part)) Word(part, part.Length >= MinimumTruncation);
            if (parts.Count >= 2)
            {
                Word(string.Concat(parts), truncatable: false);
                Phrase(parts);
            }
        }
        // A surname with particles or several words, written joined or split: every run of its words that holds a
        // significant word, joined and as a phrase ("de La Tour": "delatour", "latour", "de la tour", "la tour"; never
        // "de la" alone); a joined one typed split ("De Lépine") is the same joined string, which the text side builds
        // from adjacent words.
        static bool Significant(string w) => w.Length >= 2 && !StopWords.Contains(w) && !NameParticles.Contains(w);
        for (var from = 0; from < surnameAll.Count; from++)
            for (var to = from; to < surnameAll.Count; to++)
            {
                var run = surnameAll.GetRange(from, to - from + 1);
                if (!run.Any(Significant)) continue;
                terms.Add("w:" + string.Concat(run));
                Phrase(run);
            }

        if (surname.Count > 0 && firstName.Count > 0)
        {
            Phrase([.. firstName, .. surname]);
            Phrase([.. surname, .. firstName]);
            var first = string.Concat(firstName.Select(p => p[0]));
            var last = string.Concat(surname.Select(p => p[0]));
            var lastAll = string.Concat(surnameAll.Select(p => p[0]));
            var lastCore = string.Concat(surname.Where(p => !StopWords.Contains(p)).Select(p => p[0]));
            foreach (var l in new[] { last, lastAll, lastCore }.Where(l => l.Length > 0).Distinct())
            {
                terms.Add("i:" + first + l);
                terms.Add("i:" + l + first);
                terms.Add($"i:{first[0]}{l[0]}");
                terms.Add($"i:{l[0]}{first[0]}");
                // The initials of a compound surname alone ("Z. P." or "ZP" for Zorglub-Pinson).
                if (l.Length >= 2) terms.Add("i:" + l);
            }
            if (first.Length >= 2) terms.Add("i:" + first);
            terms.Add("i1:" + last[0]);
        }

        var b = person.DateNaissance;
        terms.Add($"d:{b.Year:D4}-{b.Month:D2}-{b.Day:D2}");
        terms.Add($"d2:{b.Year % 100:D2}-{b.Month:D2}-{b.Day:D2}");
        terms.Add($"dm:{b.Month:D2}-{b.Day:D2}");
        terms.Add($"y:{b.Year:D4}");

        if (person.Adresse is { Length: > 0 } address)
        {
            // Street name only: the number, the street type, the postcode and the city are not distinctive.
            var street = PostcodeAndCity().Replace(address, "");
            var words = Tokenise(street).Select(t => t.Folded)
                .Where(w => w.Length >= 3 && !w.All(char.IsDigit) && !StopWords.Contains(w) && !AddressWords.Contains(w)).ToList();
            foreach (var w in words) Word(w, w.Length >= 5);
            Phrase(words);
        }

        if (person.SituationScolaireOuProfessionnelle is { Length: > 0 } schooling)
            foreach (var w in Tokenise(schooling).Select(t => t.Folded)
                         .Where(w => w.Length >= 4 && !w.Any(char.IsDigit) && !StopWords.Contains(w) && !SchoolAndWorkWords.Contains(w)))
                Word(w, truncatable: false);

        if (person.RepresentantsLegaux is { Length: > 0 } representatives)
            foreach (var w in Tokenise(representatives).Select(t => t.Folded)
                         .Where(w => w.Length >= 3 && !w.Any(char.IsDigit) && !StopWords.Contains(w) && !KinshipWords.Contains(w)))
                Word(w, w.Length >= MinimumTruncation);

        if (person.Telephone is { Length: > 0 } phone && PhoneCore(phone) is { } core) terms.Add("t:" + core);

        if (person.Courriel is { Length: > 0 } email)
        {
            terms.Add("e:" + Fold(email.Trim()));
            var local = Compact(email.Split('@')[0]);
            if (local.Length >= 6) terms.Add("w:" + local);
        }

        terms.Add(ExactIdentity(person.Nom, person.Prenom, person.DateNaissance));
        return terms;
    }

    /// <summary>The term a right-of-access search looks up: same name, first name and birth date, ignoring case, accents, hyphens and spaces.</summary>
    public static string ExactIdentity(string nom, string prenom, DateOnly dateNaissance) =>
        $"id:{string.Join(' ', Words(nom))}|{string.Join(' ', Words(prenom))}|{dateNaissance:yyyy-MM-dd}";

    /// <summary>Every candidate term of a free text, with its span. NOMINATIVE, IN CLEAR: hash them at once.</summary>
    public static IReadOnlyList<TermAt> InText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var found = new List<TermAt>();
        var tokens = Tokenise(text);
        TermAt Span(string term, int from, int to) => new(term, tokens[from].Start, tokens[to].Start + tokens[to].Length - tokens[from].Start);

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i].Folded;
            if (token.Length >= MinimumTruncation && !StopWords.Contains(token) && !EverydayTruncations.Contains(token))
                found.Add(Span("p:" + token, i, i));
            var joined = new StringBuilder();
            for (var n = 1; n <= MaxJoinedWords && i + n <= tokens.Count; n++)
            {
                joined.Append(tokens[i + n - 1].Folded);
                found.Add(Span("w:" + joined, i, i + n - 1));
            }
            for (var n = 2; n <= MaxPhraseWords && i + n <= tokens.Count; n++)
                found.Add(Span("ph:" + string.Join(' ', tokens.Skip(i).Take(n).Select(t => t.Folded)), i, i + n - 1));
        }

        foreach (Match m in DottedInitials().Matches(text))
            found.Add(new TermAt("i:" + Fold(string.Concat(m.Groups["l"].Captures.Select(c => c.Value))), m.Index, m.Length));
        foreach (Match m in CapitalInitials().Matches(text))
            found.Add(new TermAt("i:" + Fold(m.Value), m.Index, m.Length));
        foreach (Match m in CivilityAndInitial().Matches(text))
            found.Add(new TermAt("i1:" + Fold(m.Groups["l"].Value), m.Index, m.Length));

        Dates(text, found);

        foreach (Match m in DigitRun().Matches(text))
        {
            var digits = Canonical(new string([.. m.Value.Where(char.IsAsciiDigit)]));
            for (var length = 6; length <= 9; length++)
                for (var at = 0; at + length <= digits.Length; at++)
                    found.Add(new TermAt("t:" + digits.Substring(at, length), m.Index, m.Length));
        }
        foreach (Match m in Email().Matches(text))
            found.Add(new TermAt("e:" + Fold(m.Value), m.Index, m.Length));
        return found;
    }

    private static void Dates(string text, List<TermAt> found)
    {
        void Add(Match m, int day, int month, int? year)
        {
            if (year is null) found.Add(new TermAt($"dm:{month:D2}-{day:D2}", m.Index, m.Length));
            else if (year < 100) found.Add(new TermAt($"d2:{year:D2}-{month:D2}-{day:D2}", m.Index, m.Length));
            else found.Add(new TermAt($"d:{year:D4}-{month:D2}-{day:D2}", m.Index, m.Length));
        }

        foreach (Match m in DayMonthYear().Matches(text)) Add(m, Int(m, "d"), Int(m, "m"), Int(m, "y"));
        foreach (Match m in YearMonthDay().Matches(text)) Add(m, Int(m, "d"), Int(m, "m"), Int(m, "y"));
        foreach (Match m in EightDigits().Matches(text))
        {
            var v = m.Value;
            Add(m, int.Parse(v[..2]), int.Parse(v[2..4]), int.Parse(v[4..]));
            Add(m, int.Parse(v[6..]), int.Parse(v[4..6]), int.Parse(v[..4]));
        }
        foreach (Match m in WrittenDate().Matches(text))
        {
            var day = m.Groups["d"].Value.StartsWith('1') && m.Groups["d"].Value.EndsWith("er", StringComparison.OrdinalIgnoreCase) ? 1 : Int(m, "d");
            var month = MonthOf(Fold(m.Groups["m"].Value));
            int? year = m.Groups["y"].Success ? Int(m, "y") : null;
            if (year is null && !NearBirthWord(text, m.Index)) continue;
            Add(m, day, month, year);
        }
        foreach (Match m in DayMonth().Matches(text))
            if (NearBirthWord(text, m.Index)) Add(m, Int(m, "d"), Int(m, "m"), null);
        foreach (Match m in Year().Matches(text))
            if (NearBirthWord(text, m.Index)) found.Add(new TermAt("y:" + m.Value, m.Index, m.Length));
    }

    private static List<string> Words(string? value) => value is null ? [] : [.. Tokenise(value).Select(t => t.Folded).Where(p => p.Length > 0)];

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static bool NearBirthWord(string text, int index)
    {
        var from = Math.Max(0, index - 40);
        return BirthWord().IsMatch(text[from..index]);
    }

    private static int MonthOf(string folded) =>
        Array.FindIndex(MonthPrefixes, p => folded.StartsWith(p, StringComparison.Ordinal)) + 1;

    private static readonly string[] MonthPrefixes = ["janv", "fev", "mars", "avr", "mai", "juin", "juil", "aou", "sep", "oct", "nov", "dec"];

    /// <summary>The national part of a French number (last nine digits), so that "+33 6…" and "06…" compare equal.</summary>
    private static string? PhoneCore(string phone)
    {
        var digits = Canonical(new string([.. phone.Where(char.IsAsciiDigit)]));
        if (digits.Length < 6) return null;
        return digits.Length >= 9 ? digits[^9..] : digits;
    }

    private static string Canonical(string digits) =>
        digits.StartsWith("0033", StringComparison.Ordinal) ? "0" + digits[4..]
        : digits.StartsWith("33", StringComparison.Ordinal) && digits.Length == 11 ? "0" + digits[2..]
        : digits;

    /// <summary>Case-fold and strip diacritics: "Philomène" and "PHILOMENE" both become "philomene"; "Œ" becomes "oe".</summary>
    public static string Fold(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            var lower = char.ToLowerInvariant(c);
            switch (lower)
            {
                case 'œ': builder.Append("oe"); break;
                case 'æ': builder.Append("ae"); break;
                case 'ß': builder.Append("ss"); break;
                case 'ø': builder.Append('o'); break;
                case 'đ': builder.Append('d'); break;
                case 'ł': builder.Append('l'); break;
                default: builder.Append(lower); break;
            }
        }
        return builder.ToString();
    }

    private static string Compact(string value) => new([.. Fold(value).Where(char.IsLetterOrDigit)]);

    /// <summary>Words: runs of letters and digits (with their combining marks); apostrophes, hyphens and punctuation separate.</summary>
    public static IReadOnlyList<Token> Tokenise(string text)
    {
        var tokens = new List<Token>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && (char.IsLetterOrDigit(text[i])
                                            || (start >= 0 && CharUnicodeInfo.GetUnicodeCategory(text[i]) == UnicodeCategory.NonSpacingMark));
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                var folded = Fold(text[start..i]);
                if (folded.Length > 0) tokens.Add(new Token(folded, start, i - start));
                start = -1;
            }
        }
        return tokens;
    }

    public sealed record Token(string Folded, int Start, int Length);

    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    private static readonly HashSet<string> NameParticles = ["de", "du", "des", "d", "l", "van", "von", "der", "den", "del", "della", "di", "y"];

    /// <summary>French function words: never a match on their own, never read as a truncated name.</summary>
    private static readonly HashSet<string> StopWords =
    [
        "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "d", "dans", "de", "des", "du", "elle", "elles", "en", "et", "il", "ils",
        "je", "l", "la", "le", "les", "leur", "leurs", "lui", "ma", "mais", "me", "mes", "mon", "ne", "ni", "nos", "notre", "nous",
        "on", "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "sans", "se", "ses", "si", "son", "sous", "sur", "ta", "te",
        "tes", "ton", "tous", "tout", "toute", "toutes", "tu", "un", "une", "vos", "votre", "vous", "y", "da", "do", "dos", "das",
        "el", "al", "est", "sont", "ont", "fait", "tres", "plus", "moins", "bien", "entre", "apres", "avant", "depuis", "chez",
        "lors", "dont", "ainsi", "aussi", "encore", "deja", "etre", "avoir", "etait", "sera", "celle", "celui", "ceux",
    ];

    /// <summary>
    /// Everyday words, frequent in a CR, that begin common names ("mari": Marie, "pere": Perez, "jeune": Jeunet…): never
    /// read as a truncated name. The full name still is refused.
    /// </summary>
    private static readonly HashSet<string> EverydayTruncations =
    [
        "mari", "maris", "math", "maths", "char", "franc", "francs", "blanc", "blanche", "cons", "const", "ange", "anges", "rose",
        "roses", "jean", "jeans", "pere", "peres", "mere", "meres", "fils", "fille", "filles", "frere", "freres", "soeur", "soeurs",
        "famille", "parent", "parents", "enfant", "enfants", "jeune", "jeunes", "petit", "petite", "grand", "grande", "bonne",
        "bois", "mont", "ville", "maire", "voisin", "voisins", "ecole", "police", "aide", "aides", "acte", "actes", "suivi",
        "suivie", "mois", "point", "points", "plan", "part", "partie", "pass", "port", "porte", "marche", "noir", "noire", "roux",
    ];

    private static readonly HashSet<string> AddressWords =
    [
        "rue", "avenue", "av", "boulevard", "bd", "bld", "chemin", "allee", "impasse", "place", "pl", "route", "rte", "quai", "cours",
        "square", "sentier", "passage", "residence", "res", "batiment", "bat", "bis", "ter", "quater", "escalier", "esc", "etage",
        "appartement", "appt", "apt", "porte", "lotissement", "lot", "cite", "hameau", "lieu", "dit", "cedex", "bp", "cs", "voie",
        "rond", "point", "faubourg", "fbg", "montee", "traverse", "villa", "domaine", "zone", "za", "zi", "zac", "tour", "bloc",
    ];

    private static readonly HashSet<string> SchoolAndWorkWords =
    [
        "college", "lycee", "ecole", "classe", "eleve", "etudiant", "etudiante", "scolarise", "scolarisee", "descolarise",
        "descolarisee", "maternelle", "elementaire", "primaire", "sixieme", "cinquieme", "quatrieme", "troisieme", "seconde",
        "premiere", "terminale", "professionnel", "professionnelle", "general", "generale", "technologique", "apprenti",
        "apprentie", "apprentissage", "emploi", "chomage", "demandeur", "demandeuse", "salarie", "salariee", "interim",
        "interimaire", "stage", "stagiaire", "formation", "mission", "locale", "universite", "faculte", "employe", "employee",
        "ouvrier", "ouvriere", "contrat", "alternance", "sans", "activite", "inscrit", "inscrite", "section", "filiere",
        "service", "civique", "decrochage", "absenteisme", "retraite", "retraitee", "invalidite", "etablissement",
    ];

    private static readonly HashSet<string> KinshipWords =
    [
        "mere", "pere", "parent", "parents", "tuteur", "tutrice", "tutelle", "curatelle", "mme", "madame", "monsieur", "mlle",
        "mademoiselle", "mr", "grand", "grands", "oncle", "tante", "frere", "soeur", "beau", "belle", "famille", "accueil",
        "foyer", "ase", "aide", "sociale", "enfance", "representant", "representante", "legal", "legale", "legaux", "conjoint",
        "conjointe", "epoux", "epouse", "concubin", "concubine", "separes", "divorces", "garde", "exclusive", "alternee", "autorite",
        "parentale", "departement", "conseil", "departemental", "placement", "placee", "place",
    ];

    [GeneratedRegex(@"\b\d{5}\b.*$", RegexOptions.Singleline)]
    private static partial Regex PostcodeAndCity();

    // "Z. P.", "Z.P.", "J.-P. Z." — letters each followed by a dot.
    [GeneratedRegex(@"(?<![\p{L}\p{N}])(?:(?<l>\p{Lu})\s?\.\s?-?\s?){2,4}", RegexOptions.CultureInvariant)]
    private static partial Regex DottedInitials();

    // "ZP", "JPZ": two or three capitals alone.
    [GeneratedRegex(@"(?<![\p{L}\p{N}])\p{Lu}{2,3}(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex CapitalInitials();

    // "Mme Z.", "M. Z", "Monsieur Z."
    [GeneratedRegex(@"(?<!\p{L})(?i:m|mme|mlle|mr|monsieur|madame|mademoiselle)\.?\s+(?<l>\p{Lu})(?![\p{L}\p{N}])\.?",
        RegexOptions.CultureInvariant)]
    private static partial Regex CivilityAndInitial();

    [GeneratedRegex(@"(?<!\d)(?<d>\d{1,2})\s*[/.\-]\s*(?<m>\d{1,2})\s*[/.\-]\s*(?<y>\d{4}|\d{2})(?!\d)|(?<!\d)(?<d>\d{1,2}) (?<m>\d{1,2}) (?<y>\d{4})(?!\d)")]
    private static partial Regex DayMonthYear();

    [GeneratedRegex(@"(?<!\d)(?<y>\d{4})\s*[/.\-]\s*(?<m>\d{1,2})\s*[/.\-]\s*(?<d>\d{1,2})(?!\d)")]
    private static partial Regex YearMonthDay();

    [GeneratedRegex(@"(?<!\d)\d{8}(?!\d)")]
    private static partial Regex EightDigits();

    [GeneratedRegex(@"(?<![\p{L}\d])(?<d>1er|\d{1,2})\s+(?<m>janv(?:ier)?|f[ée]v(?:r(?:ier)?)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept(?:embre)?|oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?)\.?(?:\s+(?<y>\d{4}|\d{2}))?(?![\p{L}\d])",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex WrittenDate();

    [GeneratedRegex(@"(?<![\d/.\-])(?<d>\d{1,2})\s*[/.]\s*(?<m>\d{1,2})(?![\d/.\-])")]
    private static partial Regex DayMonth();

    [GeneratedRegex(@"(?<!\d)(?:19|20)\d{2}(?!\d)")]
    private static partial Regex Year();

    // "né", "née", "nés", "nee" (not "ne": the negation is everywhere), "naissance", "anniversaire".
    [GeneratedRegex(@"(?<!\p{L})(?:né|née|nés|nées|nee|nees|naissance|anniversaire)(?!\p{L})", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex BirthWord();

    [GeneratedRegex(@"\+?\d(?:[\s.\-/]?\d){5,}")]
    private static partial Regex DigitRun();
}
