using System.Globalization;
using System.Text;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Referral;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Situations.Import;

/// <summary>The closed list of reasons a row is refused: codes and labels only, never a value of the row.</summary>
public static class ImportRefusals
{
    public const string PoliceFileText = "texte-fichier-police";
    public const string MissingBirthDate = "date-naissance-manquante";
    public const string UnknownReason = "motif-inconnu";
    public const string UnknownGroup = "groupe-inconnu";
    public const string UnknownSector = "secteur-inconnu";
    public const string UnknownUrgency = "urgence-inconnue";
    public const string UnknownRole = "role-inconnu";
    public const string NoFollowedPerson = "personne-suivie-manquante";
    public const string MissingField = "champ-obligatoire-manquant";
    public const string InvalidField = "champ-invalide";
    public const string BadDate = "date-invalide";
    public const string FutureDate = "date-future";
    public const string DuplicateInFile = "doublon-dans-le-fichier";
    public const string DuplicateOfExisting = "doublon-situation-existante";
    public const string TooManyPersons = "trop-de-personnes";
    public const string SituationIncomplete = "situation-incomplete";

    public static readonly IReadOnlyList<(string Code, string Label)> All =
    [
        (PoliceFileText, "Texte qui ressemble à un extrait de fichier de police ou judiciaire (exclu par la charte)"),
        (MissingBirthDate, "Date de naissance manquante"),
        (UnknownReason, "Motif absent ou hors de la liste fermée de la charte"),
        (UnknownGroup, "Groupe de travail inconnu de ce conseil"),
        (UnknownSector, "Secteur inconnu de ce conseil"),
        (UnknownUrgency, "Urgence hors de la liste"),
        (UnknownRole, "Rôle de la personne hors de la liste"),
        (NoFollowedPerson, "Aucune personne suivie dans la situation"),
        (MissingField, "Champ obligatoire manquant (nom, prénom ou faits)"),
        (InvalidField, "Champ invalide (longueur, téléphone, courriel, sexe)"),
        (BadDate, "Date illisible ou invraisemblable"),
        (FutureDate, "Date dans le futur"),
        (DuplicateInFile, "Personne déjà présente plus haut dans le fichier pour ce groupe"),
        (DuplicateOfExisting, "Une situation du groupe concerne déjà cette personne"),
        (TooManyPersons, $"Plus de {ReferSituationUseCase.MaxPersons} personnes pour un même numéro"),
        (SituationIncomplete, "Une autre ligne du même numéro est refusée (tout ou rien par situation)"),
    ];

    public static string Label(string code) => All.FirstOrDefault(r => r.Code == code).Label ?? code;
}

/// <summary>A refused row: its number in the sheet and a code of the closed list. Nothing of the row itself.</summary>
public sealed record RefusedRow(int Row, string Reason, string Label);

/// <summary>An imported situation: the sheet rows it came from and its pseudonym.</summary>
public sealed record ImportedSituation(IReadOnlyList<int> Rows, Guid SituationId, string Pseudonym);

public sealed record ReasonCount(string Reason, string Label, int Rows);

/// <summary>The import's report: counts, row numbers, reason codes, pseudonyms. No identity value, no cell of the file.</summary>
public sealed record ImportReport(Guid ImportId, int DataRows, int AcceptedRows, int RefusedRows, IReadOnlyList<ImportedSituation> Imported,
    IReadOnlyList<RefusedRow> Refused, IReadOnlyList<ReasonCount> Counts)
{
    /// <summary>The report as CSV (semicolon, UTF-8 with BOM, for a French spreadsheet): one line per row of the sheet.</summary>
    public string ToCsv()
    {
        var csv = new StringBuilder("ligne;resultat;motif;pseudonyme\r\n");
        var lines = Imported.SelectMany(s => s.Rows.Select(r => (Row: r, Line: $"{r};importee;;{s.Pseudonym}")))
            .Concat(Refused.Select(r => (r.Row, Line: $"{r.Row};refusee;{r.Reason};")))
            .OrderBy(l => l.Row);
        foreach (var (_, line) in lines) csv.Append(line).Append("\r\n");
        return csv.ToString();
    }
}

public static class ImportSpreadsheetEndpoint
{
    /// <summary>multipart/form-data, one part named « fichier ». The file is read in memory and never stored.</summary>
    [WolverinePost("/api/councils/{council}/imports",
        Summary = "Importer le tableur existant du conseil (CSV, ODS, XLSX) en situations chiffrées ; le fichier n'est pas conservé"),
     Tags("Situations")]
    public static async Task<ImportReport> Post(HttpRequest http, CouncilRequest request, SituationKeys keys, Pseudonyms pseudonyms,
        IdentityIndex index, AccessJournal journal)
    {
        ImportSpreadsheetUseCase.Authorise(request);
        var content = await ImportSpreadsheetUseCase.ReadUploadAsync(http, request.Cancellation);
        return await ImportSpreadsheetUseCase.HandleAsync(request, content, keys, pseudonyms, index, journal);
    }
}

/// <summary>
/// The one-off import of the council's existing spreadsheet. Documented layout: docs/import.md. One person per row; the
/// rows sharing a « numéro » form one situation (its fields read on its first row); a row without numéro is a situation
/// of its own. Each situation goes through the referral's own Check and Decide (sealed before the append, indexed),
/// followed by <see cref="SituationImported"/>. A situation is all or nothing (one refused row refuses its rows); the
/// whole import is one transaction: the accepted situations are written together or not at all, so that a failure
/// cannot leave half an import that a second attempt would duplicate.
/// </summary>
public static class ImportSpreadsheetUseCase
{
    public static void Authorise(CouncilRequest request) =>
        request.Actor.Require(AccessRules.ImportSpreadsheet(request.Policy, request.Actor.Member, request.Actor.Council));

    /// <summary>The uploaded file, in memory, size-limited; a 400 when absent or too large.</summary>
    public static async Task<byte[]> ReadUploadAsync(HttpRequest http, CancellationToken cancellation)
    {
        if (http.ContentLength > SpreadsheetReader.MaxFileBytes + 64 * 1024) throw FileProblem("Le fichier dépasse 2 Mo.");
        if (!http.HasFormContentType) throw FileProblem("Envoyez le fichier en multipart/form-data, champ « fichier ».");
        var form = await http.ReadFormAsync(cancellation);
        var file = form.Files.GetFile("fichier") ?? throw FileProblem("Choisissez un fichier CSV, ODS ou XLSX.");
        return await ReadFileAsync(file, cancellation);
    }

    public static async Task<byte[]> ReadFileAsync(IFormFile file, CancellationToken cancellation)
    {
        if (file.Length > SpreadsheetReader.MaxFileBytes) throw FileProblem("Le fichier dépasse 2 Mo.");
        using var buffer = new MemoryStream((int)file.Length);
        await file.CopyToAsync(buffer, cancellation);
        return buffer.ToArray();
    }

    public static ProblemException FileProblem(string message)
    {
        var errors = new ValidationErrors().Add("fichier", message);
        try { errors.ThrowIfAny(); } catch (ProblemException e) { return e; }
        throw new InvalidOperationException();
    }

    public static readonly IReadOnlyDictionary<string, string> Columns = new Dictionary<string, string>
    {
        ["numero"] = "numéro", ["groupe"] = "groupe", ["motifs"] = "motifs", ["secteur"] = "secteur", ["urgence"] = "urgence",
        ["nom"] = "nom", ["prenom"] = "prénom", ["sexe"] = "sexe", ["date de naissance"] = "date de naissance", ["role"] = "rôle",
        ["adresse"] = "adresse", ["telephone"] = "téléphone", ["courriel"] = "courriel",
        ["situation scolaire ou professionnelle"] = "situation scolaire ou professionnelle", ["representants legaux"] = "représentants légaux",
        ["faits"] = "faits", ["date du signalement"] = "date du signalement",
    };

    public static readonly IReadOnlyList<string> RequiredColumns = ["groupe", "motifs", "secteur", "urgence", "nom", "prenom", "date de naissance", "faits"];

    private static string Header(string value) =>
        string.Join(' ', IdentityTerms.Fold(value).Replace('’', ' ').Replace('\'', ' ').Split([' ', '\t', '_', '-'], StringSplitOptions.RemoveEmptyEntries));

    public static async Task<ImportReport> HandleAsync(CouncilRequest request, byte[] content, SituationKeys keys, Pseudonyms pseudonyms,
        IdentityIndex index, AccessJournal journal)
    {
        Authorise(request);
        IReadOnlyList<SheetRow> rows;
        try { rows = SpreadsheetReader.Read(content); }
        catch (UnreadableSheetException e) { throw FileProblem(e.Message); }
        if (rows.Count == 0) throw FileProblem("Le fichier ne contient aucune ligne.");

        var header = rows[0].Cells.Select(Header).ToList();
        var unknown = header.Where(h => h.Length > 0 && !Columns.ContainsKey(h)).ToList();
        var missing = RequiredColumns.Where(c => !header.Contains(c)).ToList();
        // Minimisation: a column outside the documented layout could hold what the charter excludes; the file is refused whole.
        if (unknown.Count > 0) throw FileProblem($"Colonnes hors de la disposition documentée : {string.Join(", ", unknown.Select(h => $"« {h} »"))}.");
        if (missing.Count > 0) throw FileProblem($"Colonnes obligatoires absentes : {string.Join(", ", missing.Select(c => $"« {Columns[c]} »"))}.");

        var session = request.Session;
        // Only an instance whose kind holds nominative situations receives them (a cellule de veille's name is unknown here).
        var groups = (await session.Query<Group>().ToListAsync(request.Cancellation)).Where(g => request.Policy.KindOf(g.Kind).Nominative).ToList();
        var parsed = rows.Skip(1).Select(r => ParsedRow.From(r, header)).ToList();
        var decided = Plan(parsed, groups, request.Actor.Council, request.Policy, request.Today);

        // Duplicates of situations already held by the group: asked of the identity index (keyed hashes), journalled once.
        var refused = decided.Refused.ToList();
        var accepted = new List<PlannedSituation>();
        var checkedAny = false;
        foreach (var situation in decided.Accepted)
        {
            var duplicate = false;
            foreach (var person in situation.Command.Persons!)
            {
                checkedAny = true;
                var matches = await index.FindAsync(request.Council, person.Nom!, person.Prenom!, person.DateNaissance!.Value, request.Cancellation);
                if (matches.Count == 0) continue;
                var ids = matches.Select(m => m.SituationId).Distinct().ToArray();
                var held = await session.Query<Situation>().Where(s => s.Id.IsOneOf(ids) && s.NominativeDataErasedAt == null).ToListAsync(request.Cancellation);
                if (held.Any(s => s.GroupId == situation.Command.GroupId)) { duplicate = true; break; }
            }
            if (duplicate) refused.AddRange(situation.Rows.Select(r => Refuse(r, ImportRefusals.DuplicateOfExisting)));
            else accepted.Add(situation);
        }
        if (checkedAny)
            await journal.AppendAsync(request.Council, new JournalRequest(JournalActions.DuplicateCheck, JournalChains.CouncilSituationId,
                JournalChains.CouncilPseudonym, request.Actor.Id, request.Subject!, JournalActions.DuplicateCheckPurpose, null, null, Granted: true, Refusal: null),
                request.Cancellation);

        var importId = Guid.CreateVersion7();
        var now = request.Now;
        var imported = new List<ImportedSituation>();
        foreach (var situation in accepted)
        {
            var situationId = Guid.CreateVersion7();
            var referredAt = situation.ReferredOn is { } day && day < request.Today
                ? new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero)
                : now;
            var pseudonym = await pseudonyms.NextAsync(session.TenantId, referredAt.Year, request.Cancellation);
            var cipher = keys.CreateFor(session, situationId, now);
            var referred = ReferSituationUseCase.Decide(situation.Command, situationId, pseudonym, request.Actor.Member, cipher, request.Policy, referredAt);
            session.Events.StartStream<Situation>(situationId, referred,
                new SituationImported(situationId, importId, situation.Rows[0], situation.ReferredOn, request.Actor.Id, now));
            await index.IndexAsync(session, situationId, ReferSituationUseCase.PersonsToIndex(situation.Command, referred), request.Cancellation);
            imported.Add(new ImportedSituation(situation.Rows, situationId, pseudonym));
        }

        var refusedRows = refused.OrderBy(r => r.Row).ToList();
        var counts = refusedRows.GroupBy(r => r.Reason).Select(g => new ReasonCount(g.Key, ImportRefusals.Label(g.Key), g.Count()))
            .OrderByDescending(c => c.Rows).ThenBy(c => c.Reason, StringComparer.Ordinal).ToList();
        var report = new ImportReport(importId, parsed.Count, imported.Sum(s => s.Rows.Count), refusedRows.Count, imported, refusedRows, counts);
        // The administrative acts' trail: that an import took place, by whom, with its counts; nothing of the sheet.
        session.Events.StartStream(importId,
            new SpreadsheetImported(importId, report.DataRows, report.AcceptedRows, report.RefusedRows, imported.Count, request.Actor.Id, now));
        return report;
    }

    /// <summary>NOMINATIVE, IN CLEAR: a situation ready to be referred, in memory only.</summary>
    public sealed record PlannedSituation(IReadOnlyList<int> Rows, ReferSituation Command, DateOnly? ReferredOn)
    {
        public override string ToString() => "[situation à importer]";
    }

    public sealed record Plan_(IReadOnlyList<PlannedSituation> Accepted, IReadOnlyList<RefusedRow> Refused);

    private static RefusedRow Refuse(int row, string reason) => new(row, reason, ImportRefusals.Label(reason));

    /// <summary>
    /// Pure: groups the rows into situations, refuses each row for the first reason of the closed list that applies, and
    /// checks each situation with the referral's own <see cref="ReferSituationUseCase.Check"/>. A situation with one
    /// refused row is refused whole (its other rows: <see cref="ImportRefusals.SituationIncomplete"/>).
    /// </summary>
    public static Plan_ Plan(IReadOnlyList<ParsedRow> rows, IReadOnlyList<Group> groups, Council council, CharterPolicy policy, DateOnly today)
    {
        var accepted = new List<PlannedSituation>();
        var refused = new List<RefusedRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var bySituation = rows.Select((r, i) => (Row: r, Key: string.IsNullOrWhiteSpace(r["numero"]) ? $"#{i}" : $"n:{r["numero"]!.Trim()}"))
            .GroupBy(x => x.Key).Select(g => g.Select(x => x.Row).ToList());
        foreach (var situationRows in bySituation)
        {
            var first = situationRows[0];
            var group = groups.FirstOrDefault(g => Same(g.Name, first["groupe"]));
            var reasons = (first["motifs"] ?? "").Split([',', ';', '|', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(m => Code(policy.ReferralReasons, m)).ToList();
            var sector = council.Sectors.FirstOrDefault(s => Same(s.Code, first["secteur"]) || Same(s.Label, first["secteur"]))?.Code;
            var urgency = Code(policy.Urgencies, first["urgence"]);
            DateOnly? referredOn = null;
            string? situationReason =
                group is null ? ImportRefusals.UnknownGroup
                : reasons.Count == 0 || reasons.Any(r => r is null) ? ImportRefusals.UnknownReason
                : sector is null ? ImportRefusals.UnknownSector
                : urgency is null ? ImportRefusals.UnknownUrgency
                : string.IsNullOrWhiteSpace(first["faits"]) ? ImportRefusals.MissingField
                : situationRows.Count > ReferSituationUseCase.MaxPersons ? ImportRefusals.TooManyPersons
                : null;
            if (situationReason is null && !string.IsNullOrWhiteSpace(first["date du signalement"]))
            {
                referredOn = SpreadsheetReader.ParseDate(first["date du signalement"]!);
                situationReason = referredOn is null || referredOn < today.AddYears(-30) ? ImportRefusals.BadDate
                    : referredOn > today ? ImportRefusals.FutureDate : null;
            }
            // Every free text of the situation's rows, against the charter's exclusion of police and judicial files.
            situationReason ??= situationRows.Any(r => r.FreeTexts.Any(PoliceFileText.LooksLikePoliceFile)) ? ImportRefusals.PoliceFileText : null;

            var roles = policy.PersonRoles.Select(r => r.Code).ToHashSet();
            var persons = new List<PersonInClear>();
            var rowReasons = new Dictionary<int, string>();
            for (var i = 0; i < situationRows.Count; i++)
            {
                var r = situationRows[i];
                var role = string.IsNullOrWhiteSpace(r["role"]) ? (i == 0 ? PersonRoles.Followed : null) : Code(policy.PersonRoles, r["role"]);
                var birthText = r["date de naissance"];
                var birth = string.IsNullOrWhiteSpace(birthText) ? null : SpreadsheetReader.ParseDate(birthText);
                var person = new PersonInClear(role, Blank(r["nom"]), Blank(r["prenom"]), Blank(r["sexe"])?.ToUpperInvariant(), birth,
                    Blank(r["adresse"]), Blank(r["telephone"]), Blank(r["courriel"]), Blank(r["situation scolaire ou professionnelle"]),
                    Blank(r["representants legaux"]));
                var personErrors = new ValidationErrors();
                person.Validate(personErrors, "p", today, roles);
                string? reason =
                    string.IsNullOrWhiteSpace(birthText) ? ImportRefusals.MissingBirthDate
                    : birth is null ? ImportRefusals.BadDate
                    : birth > today ? ImportRefusals.FutureDate
                    : birth < today.AddYears(-120) ? ImportRefusals.BadDate
                    : role is null || !roles.Contains(role) ? ImportRefusals.UnknownRole
                    : person.Nom is null || person.Prenom is null ? ImportRefusals.MissingField
                    : personErrors.Any ? ImportRefusals.InvalidField
                    : null;
                if (reason is null && group is not null && !seen.Add($"{group.Id}|{IdentityTerms.Fold(person.Nom!.Trim())}|{IdentityTerms.Fold(person.Prenom!.Trim())}|{birth:yyyy-MM-dd}"))
                    reason = ImportRefusals.DuplicateInFile;
                if (reason is not null) rowReasons[r.Number] = reason;
                persons.Add(person);
            }
            var command = new ReferSituation(group?.Id ?? Guid.Empty, [.. reasons.Where(r => r is not null).Select(r => r!)], sector, urgency, persons,
                Blank(first["faits"]));
            if (situationReason is null && rowReasons.Count == 0 && ReferSituationUseCase.Check(command, group, council, policy, today).Any)
                situationReason = persons.All(p => p.Role != PersonRoles.Followed) ? ImportRefusals.NoFollowedPerson : ImportRefusals.InvalidField;

            if (situationReason is null && rowReasons.Count == 0)
            {
                accepted.Add(new PlannedSituation([.. situationRows.Select(r => r.Number)], command, referredOn));
                continue;
            }
            foreach (var r in situationRows)
                refused.Add(Refuse(r.Number, situationReason ?? rowReasons.GetValueOrDefault(r.Number, ImportRefusals.SituationIncomplete)));
        }
        return new Plan_(accepted, refused);
    }

    private static bool Same(string a, string? b) => b is not null && string.Equals(IdentityTerms.Fold(a.Trim()), IdentityTerms.Fold(b.Trim()), StringComparison.Ordinal);

    private static string? Code(IReadOnlyList<ListEntry> list, string? value) =>
        value is null ? null : list.FirstOrDefault(e => Same(e.Code, value) || Same(e.Label, value))?.Code;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>NOMINATIVE, IN CLEAR: one row of the sheet by column name (folded header), in memory only.</summary>
public sealed class ParsedRow(int number, IReadOnlyDictionary<string, string> cells)
{
    public int Number { get; } = number;

    public string? this[string column] => cells.GetValueOrDefault(column);

    /// <summary>The free texts of the row (facts, address, school or work, legal representatives).</summary>
    public IEnumerable<string?> FreeTexts => [this["faits"], this["adresse"], this["situation scolaire ou professionnelle"], this["representants legaux"]];

    public static ParsedRow From(SheetRow row, IReadOnlyList<string> header)
    {
        var cells = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count && i < row.Cells.Count; i++)
            if (header[i].Length > 0) cells[header[i]] = row.Cells[i];
        return new ParsedRow(row.Number, cells);
    }

    public override string ToString() => $"[ligne {Number}]";
}
