using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CaseExchange.Situations.Referral;

namespace CaseExchange.Charter;

/// <summary>What kind of identity field a text was found to contain. Codes of policy.json's identity fields, plus initials.</summary>
public static class IdentityKinds
{
    public const string Nom = "nom";
    public const string Prenom = "prenom";
    public const string DateNaissance = "dateNaissance";
    public const string Adresse = "adresse";
    public const string Telephone = "telephone";
    public const string Courriel = "courriel";
    public const string Scolarite = "situationScolaireOuProfessionnelle";
    public const string RepresentantsLegaux = "representantsLegaux";
    public const string Initiales = "initiales";

    /// <summary>French, for a refusal message: "contient {0} d'une personne concernée".</summary>
    public static string Describe(string kind) => kind switch
    {
        Nom => "un nom de famille",
        Prenom => "un prénom",
        DateNaissance => "une date de naissance",
        Adresse => "un élément de l'adresse",
        Telephone => "un numéro de téléphone",
        Courriel => "une adresse électronique",
        Scolarite => "un élément de la situation scolaire ou professionnelle",
        RepresentantsLegaux => "le nom d'un représentant légal",
        Initiales => "les initiales",
        _ => "un élément d'identité",
    };
}

/// <summary>Where an identity element sits in the checked text: a kind and a span, never the value.</summary>
public sealed record TextFinding(string Kind, int Start, int Length);

/// <summary>
/// NOMINATIVE, IN CLEAR (in memory only, for one request): the identity values of the persons concerned by a séance's
/// situations, normalised, and the check that refuses any free text destined to leave the group (the CR) when it
/// contains one of them. Pure: no I/O, no logging; findings say the kind and the position, never the value.
/// <para>
/// Matching is case- and accent-insensitive, on whole words: names and their parts ("Jean-Pierre" is "jean", "pierre",
/// "jean pierre" and "jeanpierre"), a truncated name (the first four letters or more, e.g. "Zorglu"), initials
/// ("Z. P.", "ZP", "Mme Z."), the birth date in the usual written forms, the distinctive words of the address (street
/// name, not the number, street type or city), the phone number (digits only, +33 or 0), the e-mail, the distinctive
/// words of the school or job and the legal representatives' names. It errs towards refusal: a common word that
/// happens to be a concerned person's name (e.g. "Rose") is refused too, and the coordonnateur rephrases.
/// </para>
/// <para>
/// Short and common tokens: a one-letter name part only counts within initials; a name part that is a French
/// function word ("Le", "La", "Da"…) only counts together with the other name (e.g. "Thi Le"), since refusing every
/// "le" would make writing impossible; truncations are only considered from four letters, and not for a short list
/// of everyday words that begin common first names ("mari" for Marie, "math" for Mathis…). A nickname, or a
/// description that identifies without naming, cannot be detected: charter article 14 leaves that to the writer.
/// </para>
/// </summary>
public sealed partial class IdentityTextGuard
{
    private const int MinimumTruncation = 4;

    private readonly List<WordEntry> _words = [];
    private readonly List<PhraseEntry> _phrases = [];
    private readonly List<(string Letters, string Kind)> _initials = [];
    private readonly HashSet<char> _surnameInitials = [];
    private readonly List<DateOnly> _birthDates = [];
    private readonly List<string> _phoneCores = [];
    private readonly List<string> _emails = [];
    private readonly List<string> _compactEmailLocals = [];

    public IdentityTextGuard(IEnumerable<PersonIdentity> persons)
    {
        foreach (var person in persons) Add(person);
    }

    public int PersonCount { get; private set; }

    public override string ToString() => "[identités nominatives en mémoire]";

    /// <summary>Every identity element found in the text, in order of position; empty when the text can leave the group.</summary>
    public IReadOnlyList<TextFinding> Check(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return [];
        var findings = new List<TextFinding>();
        var tokens = Tokenise(text);
        CheckWords(tokens, findings);
        CheckPhrases(tokens, findings);
        CheckInitials(text, findings);
        CheckDates(text, findings);
        CheckPhones(text, findings);
        CheckEmails(text, findings);
        return [.. findings.Distinct().OrderBy(f => f.Start).ThenBy(f => f.Kind, StringComparer.Ordinal)];
    }

    private void Add(PersonIdentity person)
    {
        PersonCount++;
        var surname = NameParts(person.Nom);
        var firstName = NameParts(person.Prenom);
        AddName(surname, IdentityKinds.Nom);
        AddName(firstName, IdentityKinds.Prenom);
        if (surname.Count > 0 && firstName.Count > 0)
        {
            _phrases.Add(new PhraseEntry([.. firstName, .. surname], IdentityKinds.Nom));
            _phrases.Add(new PhraseEntry([.. surname, .. firstName], IdentityKinds.Nom));
            var first = string.Concat(firstName.Select(p => p[0]));
            var last = string.Concat(surname.Select(p => p[0]));
            _initials.Add((first + last, IdentityKinds.Initiales));
            _initials.Add((last + first, IdentityKinds.Initiales));
            _initials.Add(($"{first[0]}{last[0]}", IdentityKinds.Initiales));
            _initials.Add(($"{last[0]}{first[0]}", IdentityKinds.Initiales));
            _surnameInitials.Add(last[0]);
        }

        _birthDates.Add(person.DateNaissance);

        if (person.Adresse is { Length: > 0 } address)
        {
            // Street name only: the number, the street type, the postcode and the city are not distinctive.
            var street = PostcodeAndCity().Replace(address, "");
            var words = Tokenise(street).Select(t => t.Folded)
                .Where(w => w.Length >= 3 && !w.All(char.IsDigit) && !StopWords.Contains(w) && !AddressWords.Contains(w)).ToList();
            foreach (var w in words) _words.Add(new WordEntry(w, IdentityKinds.Adresse, w.Length >= 5));
            if (words.Count >= 2) _phrases.Add(new PhraseEntry(words, IdentityKinds.Adresse));
        }

        if (person.SituationScolaireOuProfessionnelle is { Length: > 0 } schooling)
            foreach (var w in Tokenise(schooling).Select(t => t.Folded)
                         .Where(w => w.Length >= 4 && !w.Any(char.IsDigit) && !StopWords.Contains(w) && !SchoolAndWorkWords.Contains(w)))
                _words.Add(new WordEntry(w, IdentityKinds.Scolarite, AllowTruncation: false));

        if (person.RepresentantsLegaux is { Length: > 0 } representatives)
            foreach (var w in Tokenise(representatives).Select(t => t.Folded)
                         .Where(w => w.Length >= 3 && !w.Any(char.IsDigit) && !StopWords.Contains(w) && !KinshipWords.Contains(w)))
                _words.Add(new WordEntry(w, IdentityKinds.RepresentantsLegaux, w.Length >= MinimumTruncation));

        if (person.Telephone is { Length: > 0 } phone && PhoneCore(phone) is { } core) _phoneCores.Add(core);

        if (person.Courriel is { Length: > 0 } email)
        {
            _emails.Add(email.Trim());
            var local = Compact(email.Split('@')[0]);
            if (local.Length >= 6) _compactEmailLocals.Add(local);
        }
    }

    private void AddName(IReadOnlyList<string> parts, string kind)
    {
        foreach (var part in parts)
        {
            // One letter: only as an initial. A function word ("le", "da"): only within the full name (phrases above).
            if (part.Length < 2 || StopWords.Contains(part)) continue;
            _words.Add(new WordEntry(part, kind, part.Length >= MinimumTruncation));
        }
        if (parts.Count >= 2)
        {
            _words.Add(new WordEntry(string.Concat(parts), kind, AllowTruncation: false));
            _phrases.Add(new PhraseEntry(parts, kind));
        }
    }

    private static List<string> NameParts(string? name) =>
        name is null ? [] : [.. Tokenise(name).Select(t => t.Folded).Where(p => p.Length > 0 && !NameParticles.Contains(p))];

    private void CheckWords(IReadOnlyList<Token> tokens, List<TextFinding> findings)
    {
        foreach (var token in tokens)
        {
            foreach (var word in _words)
            {
                var exact = token.Folded == word.Folded;
                var truncated = !exact && word.AllowTruncation && token.Folded.Length >= MinimumTruncation
                                && word.Folded.StartsWith(token.Folded, StringComparison.Ordinal)
                                && !StopWords.Contains(token.Folded) && !EverydayTruncations.Contains(token.Folded);
                if (exact || truncated) findings.Add(new TextFinding(word.Kind, token.Start, token.Length));
            }
        }
    }

    private void CheckPhrases(IReadOnlyList<Token> tokens, List<TextFinding> findings)
    {
        foreach (var phrase in _phrases)
        {
            var n = phrase.Words.Count;
            for (var i = 0; i + n <= tokens.Count; i++)
            {
                var match = true;
                for (var j = 0; j < n && match; j++) match = tokens[i + j].Folded == phrase.Words[j];
                if (match) findings.Add(new TextFinding(phrase.Kind, tokens[i].Start, tokens[i + n - 1].Start + tokens[i + n - 1].Length - tokens[i].Start));
            }
        }
    }

    private void CheckInitials(string text, List<TextFinding> findings)
    {
        if (_initials.Count == 0) return;
        foreach (Match m in DottedInitials().Matches(text))
        {
            var letters = Fold(string.Concat(m.Groups["l"].Captures.Select(c => c.Value)));
            if (_initials.Any(i => i.Letters == letters)) findings.Add(new TextFinding(IdentityKinds.Initiales, m.Index, m.Length));
        }
        foreach (Match m in CapitalInitials().Matches(text))
        {
            if (_initials.Any(i => i.Letters == Fold(m.Value))) findings.Add(new TextFinding(IdentityKinds.Initiales, m.Index, m.Length));
        }
        foreach (Match m in CivilityAndInitial().Matches(text))
        {
            var letter = Fold(m.Groups["l"].Value);
            if (letter.Length == 1 && _surnameInitials.Contains(letter[0])) findings.Add(new TextFinding(IdentityKinds.Initiales, m.Index, m.Length));
        }
    }

    private void CheckDates(string text, List<TextFinding> findings)
    {
        if (_birthDates.Count == 0) return;
        void Found(Match m) => findings.Add(new TextFinding(IdentityKinds.DateNaissance, m.Index, m.Length));
        bool Is(int day, int month, int? year) => _birthDates.Any(b => b.Day == day && b.Month == month
                                                                       && (year is null || b.Year == year || (year < 100 && b.Year % 100 == year)));

        foreach (Match m in DayMonthYear().Matches(text))
            if (Is(Int(m, "d"), Int(m, "m"), Int(m, "y"))) Found(m);
        foreach (Match m in YearMonthDay().Matches(text))
            if (Is(Int(m, "d"), Int(m, "m"), Int(m, "y"))) Found(m);
        foreach (Match m in EightDigits().Matches(text))
        {
            var v = m.Value;
            if (Is(int.Parse(v[..2]), int.Parse(v[2..4]), int.Parse(v[4..])) || Is(int.Parse(v[6..]), int.Parse(v[4..6]), int.Parse(v[..4]))) Found(m);
        }
        foreach (Match m in WrittenDate().Matches(text))
        {
            var day = m.Groups["d"].Value.StartsWith('1') && m.Groups["d"].Value.EndsWith("er", StringComparison.OrdinalIgnoreCase) ? 1 : Int(m, "d");
            var month = MonthOf(Fold(m.Groups["m"].Value));
            int? year = m.Groups["y"].Success ? Int(m, "y") : null;
            if (year is null && !NearBirthWord(text, m.Index)) continue;
            if (Is(day, month, year)) Found(m);
        }
        foreach (Match m in DayMonth().Matches(text))
            if (NearBirthWord(text, m.Index) && Is(Int(m, "d"), Int(m, "m"), null)) Found(m);
        foreach (Match m in Year().Matches(text))
            if (NearBirthWord(text, m.Index) && _birthDates.Any(b => b.Year == int.Parse(m.Value))) Found(m);
    }

    private void CheckPhones(string text, List<TextFinding> findings)
    {
        if (_phoneCores.Count == 0) return;
        foreach (Match m in DigitRun().Matches(text))
        {
            var digits = Canonical(new string([.. m.Value.Where(char.IsAsciiDigit)]));
            if (_phoneCores.Any(core => digits.Contains(core, StringComparison.Ordinal)))
                findings.Add(new TextFinding(IdentityKinds.Telephone, m.Index, m.Length));
        }
    }

    private void CheckEmails(string text, List<TextFinding> findings)
    {
        foreach (var email in _emails)
        {
            for (var at = text.IndexOf(email, StringComparison.OrdinalIgnoreCase); at >= 0;
                 at = text.IndexOf(email, at + 1, StringComparison.OrdinalIgnoreCase))
                findings.Add(new TextFinding(IdentityKinds.Courriel, at, email.Length));
        }
        if (_compactEmailLocals.Count == 0) return;
        var (compact, origin) = CompactWithOrigin(text);
        foreach (var local in _compactEmailLocals)
        {
            for (var at = compact.IndexOf(local, StringComparison.Ordinal); at >= 0; at = compact.IndexOf(local, at + 1, StringComparison.Ordinal))
            {
                var start = origin[at];
                findings.Add(new TextFinding(IdentityKinds.Courriel, start, origin[at + local.Length - 1] - start + 1));
            }
        }
    }

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

    private static (string Compact, List<int> Origin) CompactWithOrigin(string text)
    {
        var builder = new StringBuilder();
        var origin = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            foreach (var c in Fold(text[i].ToString()).Where(char.IsLetterOrDigit))
            {
                builder.Append(c);
                origin.Add(i);
            }
        }
        return (builder.ToString(), origin);
    }

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

    private sealed record WordEntry(string Folded, string Kind, bool AllowTruncation);

    private sealed record PhraseEntry(IReadOnlyList<string> Words, string Kind);

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
