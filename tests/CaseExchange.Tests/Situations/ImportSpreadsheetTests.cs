using System.IO.Compression;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Situations.Import;
using CaseExchange.Tests.Infrastructure;
using Npgsql;

namespace CaseExchange.Tests.Situations;

/// <summary>Spreadsheet files built in the test, with the same zip + XML approach as the reader (no package).</summary>
public static class SheetFiles
{
    public static MultipartFormDataContent Upload(byte[] content, string name)
    {
        var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(content), "fichier", name);
        return form;
    }

    public static byte[] Csv(IEnumerable<string[]> rows, char separator = ';', bool bom = true)
    {
        var text = string.Join("\r\n", rows.Select(r => string.Join(separator, r.Select(c => c.Contains(separator) || c.Contains('"') || c.Contains('\n') ? $"\"{c.Replace("\"", "\"\"")}\"" : c))));
        var bytes = Encoding.UTF8.GetBytes(text + "\r\n");
        return bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes;
    }

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(content);
            }
        return buffer.ToArray();
    }

    private static string X(string value) => SecurityElement.Escape(value);

    public static byte[] Ods(IEnumerable<string[]> rows)
    {
        var body = string.Concat(rows.Select(r => "<table:table-row>" + string.Concat(r.Select(c =>
            $"<table:table-cell office:value-type=\"string\"><text:p>{X(c)}</text:p></table:table-cell>")) +
            "<table:table-cell table:number-columns-repeated=\"1000\"/></table:table-row>"));
        var content = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" " +
                      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\">" +
                      $"<office:body><office:spreadsheet><table:table table:name=\"Feuille1\">{body}" +
                      "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>" +
                      "</table:table></office:spreadsheet></office:body></office:document-content>";
        return Zip(("mimetype", "application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", content));
    }

    /// <summary>Text cells through the shared strings; a cell "#serial" is written as a number (an XLSX date).</summary>
    public static byte[] Xlsx(IReadOnlyList<string[]> rows)
    {
        var strings = rows.SelectMany(r => r).Where(c => !c.StartsWith('#')).Distinct().ToList();
        var sheetRows = rows.Select((r, i) => $"<row r=\"{i + 1}\">" + string.Concat(r.Select((c, j) =>
            c.StartsWith('#') ? $"<c r=\"{(char)('A' + j)}{i + 1}\"><v>{c[1..]}</v></c>"
                : $"<c r=\"{(char)('A' + j)}{i + 1}\" t=\"s\"><v>{strings.IndexOf(c)}</v></c>")) + "</row>");
        const string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        return Zip(
            ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("xl/workbook.xml", $"<?xml version=\"1.0\"?><workbook xmlns=\"{ns}\"><sheets><sheet name=\"Feuil1\" sheetId=\"1\"/></sheets></workbook>"),
            ("xl/sharedStrings.xml", $"<?xml version=\"1.0\"?><sst xmlns=\"{ns}\">" + string.Concat(strings.Select(s => $"<si><t>{X(s)}</t></si>")) + "</sst>"),
            ("xl/worksheets/sheet1.xml", $"<?xml version=\"1.0\"?><worksheet xmlns=\"{ns}\"><sheetData>{string.Concat(sheetRows)}</sheetData></worksheet>"));
    }
}

public sealed class ImportFixture : CouncilFixture;

/// <summary>
/// The one-off import of the council's spreadsheet: accepted rows become sealed, indexed situations marked as imported;
/// every refused row is reported by number and code, nothing nominative; only the coordonnateur; a file that is not a
/// spreadsheet, or too large, writes nothing.
/// </summary>
public sealed class ImportSpreadsheetTests(ImportFixture fixture) : IClassFixture<ImportFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private string Url => $"{Council.Api}/imports";

    private static readonly string[] Header =
        ["numéro", "groupe", "motifs", "secteur", "urgence", "nom", "prénom", "date de naissance", "rôle", "adresse", "faits", "date du signalement"];

    private static string[] Row(string numero, TestPerson p, string birth, string facts = "Absences répétées au collège", string group = "GT A (détenteur)",
        string reasons = "decrochage-scolaire", string role = "", string referred = "", string urgency = "normale") =>
        [numero, group, reasons, "nord", urgency, p.Nom, p.Prenom, birth, role, p.Adresse, facts, referred];

    private static string Birth(TestPerson p) => p.DateNaissance.ToString("dd/MM/yyyy");

    private async Task<(ImportReport Report, string Text)> ImportAsync(byte[] file, string name, string? subject = null, int status = 200)
    {
        var response = await Service.PostAsync(subject ?? Council.Coordonnateur, Url, SheetFiles.Upload(file, name));
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True((int)response.StatusCode == status, $"{(int)response.StatusCode}: {text}");
        return (status == 200 ? JsonSerializer.Deserialize<ImportReport>(text, Json.Options)! : null!, text);
    }

    private async Task<string> StoredEventsAsync(Guid situationId)
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("select string_agg(type || ' ' || data::text, E'\\n' order by version) from caseexchange.mt_events where stream_id = $1", connection);
        command.Parameters.AddWithValue(situationId);
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static void HoldsNoIdentity(string text, params TestPerson[] persons)
    {
        foreach (var value in persons.SelectMany(p => p.Leakables())) Assert.DoesNotContain(value, text, StringComparison.OrdinalIgnoreCase);
    }

    private static TestPerson Person(string tag) => TestPerson.Distinctive($"{tag}{Guid.NewGuid():N}"[..10]);

    [Fact]
    public async Task A_csv_imports_its_rows_as_sealed_situations_and_refuses_the_others_by_number_and_code()
    {
        var (a, b, c, d, e, f, g, h, k) = (Person("A"), Person("B"), Person("C"), Person("D"), Person("E"), Person("F"), Person("G"), Person("H"), Person("K"));
        var lastYear = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-1);
        var file = SheetFiles.Csv([
            Header,
            Row("1", a, Birth(a), referred: lastYear.ToString("dd/MM/yyyy")),                 // 2: accepted, with a past referral date
            Row("1", b, Birth(b), role: "Autre membre de la famille"),                               // 3: same situation, second person
            Row("", c, "", facts: "Absences"),                                                  // 4: missing birth date
            Row("", d, Birth(d), facts: "Placé en garde à vue le mois dernier"),               // 5: police-file text
            Row("", e, Birth(e), reasons: "curiosite"),                                          // 6: unknown reason
            Row("", f, Birth(f), group: "GT inexistant"),                                        // 7: unknown group
            Row("", g, "31/02/2011"),                                                            // 8: bad date
            Row("", h, Birth(h), referred: DateTime.UtcNow.AddDays(10).ToString("dd/MM/yyyy")), // 9: future referral date
            Row("", a, Birth(a)),                                                                // 10: duplicate in the file
            Row("2", k, Birth(k)),                                                               // 11: fine itself, but…
            Row("2", k, "", role: "membre-famille"),                                             // 12: …refused: the situation is refused whole
        ]);

        var before = await Service.EventCountAsync();
        var (report, text) = await ImportAsync(file, "tableur.csv");

        Assert.True((11, 2, 9) == (report.DataRows, report.AcceptedRows, report.RefusedRows), string.Join(" ", report.Refused.Select(r => $"{r.Row}:{r.Reason}")));
        var imported = Assert.Single(report.Imported);
        Assert.Equal([2, 3], imported.Rows);
        Assert.Equal(
            [(4, ImportRefusals.MissingBirthDate), (5, ImportRefusals.PoliceFileText), (6, ImportRefusals.UnknownReason), (7, ImportRefusals.UnknownGroup),
             (8, ImportRefusals.BadDate), (9, ImportRefusals.FutureDate), (10, ImportRefusals.DuplicateInFile), (11, ImportRefusals.SituationIncomplete),
             (12, ImportRefusals.MissingBirthDate)],
            report.Refused.Select(r => (r.Row, r.Reason)).ToList());
        HoldsNoIdentity(text, a, b, c, d, e, f, g, h, k);
        HoldsNoIdentity(report.ToCsv(), a, b, c, d, e, f, g, h, k);
        Assert.DoesNotContain("garde", text, StringComparison.OrdinalIgnoreCase);

        // Sealed before the append, marked as imported, the referral dated from the sheet and the import dated now.
        var stored = await StoredEventsAsync(imported.SituationId);
        HoldsNoIdentity(stored, a, b);
        Assert.Contains("situation_imported", stored);
        Assert.Contains(lastYear.ToString("yyyy-MM-dd") + "T12:00:00", stored);
        Assert.Equal(2, stored.Split('\n').Length);
        Assert.True(await Service.EventCountAsync() > before);

        // The holding group's member, opening the file (journalled), reads the identities and sees where the situation came from.
        var opened = await Service.PostJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Council.Api}/situations/{imported.SituationId}/file-openings",
            new { purpose = "suivi" });
        Assert.Contains(a.Nom, opened.GetRawText());
        Assert.Contains(opened.GetProperty("history").EnumerateArray(), e => e.GetRawText().Contains("Importée du tableur du conseil (ligne 2)"));

        // The situation is in the group's list under its pseudonym and the index knows its persons (the duplicate check finds it).
        var duplicates = await Service.PostJsonAsync<JsonElement>(Council.Animateur, $"{Council.Api}/duplicate-checks",
            new { nom = b.Nom, prenom = b.Prenom, dateNaissance = b.DateNaissance });
        Assert.Contains(imported.Pseudonym, duplicates.GetRawText());
    }

    [Fact]
    public async Task A_row_that_duplicates_a_situation_of_the_group_is_refused()
    {
        var person = Person("X");
        await Council.ReferAsync(Service, person, "Faits fictifs");
        var other = Person("Y");
        var (report, text) = await ImportAsync(SheetFiles.Csv([Header, Row("", person, Birth(person)), Row("", other, Birth(other))], separator: ',', bom: false), "t.csv");
        Assert.Equal((2, ImportRefusals.DuplicateOfExisting), (Assert.Single(report.Refused).Row, report.Refused[0].Reason));
        Assert.Equal([3], Assert.Single(report.Imported).Rows);
        HoldsNoIdentity(text, person, other);
    }

    [Fact]
    public async Task Ods_and_xlsx_files_are_read_the_same_way()
    {
        var (p, q) = (Person("O"), Person("Q"));
        var (ods, _) = await ImportAsync(SheetFiles.Ods([Header, Row("", p, p.DateNaissance.ToString("yyyy-MM-dd"))]), "t.ods");
        Assert.Equal([2], Assert.Single(ods.Imported).Rows);
        HoldsNoIdentity(await StoredEventsAsync(ods.Imported[0].SituationId), p);

        var row = Row("", q, "x");
        row[7] = "#" + q.DateNaissance.ToDateTime(TimeOnly.MinValue).ToOADate().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (xlsx, _) = await ImportAsync(SheetFiles.Xlsx([Header, row, Row("", Person("Z"), "")]), "t.xlsx");
        Assert.Equal([2], Assert.Single(xlsx.Imported).Rows);
        Assert.Equal(ImportRefusals.MissingBirthDate, Assert.Single(xlsx.Refused).Reason);
        HoldsNoIdentity(await StoredEventsAsync(xlsx.Imported[0].SituationId), q);
    }

    [Fact]
    public async Task An_import_is_an_administrative_act_with_its_counts_and_nothing_of_the_sheet()
    {
        var (p, q) = (Person("T"), Person("U"));
        var start = DateTimeOffset.UtcNow;
        var (report, _) = await ImportAsync(SheetFiles.Csv([
            Header,
            Row("", p, Birth(p)),
            Row("", q, Birth(q), facts: "Placé en garde à vue le mois dernier"),
        ]), "tableur.csv");
        var pseudonym = Assert.Single(report.Imported).Pseudonym;

        var acts = await Service.GetJsonAsync<CaseExchange.Journal.AdministrativeActs.AdministrativeActsPage>(Council.Auditeur,
            $"{Council.Api}/journal/administrative-acts?kind={CaseExchange.Journal.AdministrativeActs.AdministrativeActKinds.Imports}&from={Uri.EscapeDataString(start.ToString("O"))}");
        var act = Assert.Single(acts.Items);
        Assert.Equal("Import effectué", act.Act);
        Assert.Equal("2 ligne(s) lue(s), 1 acceptée(s), 1 refusée(s) ; 1 situation(s) créée(s)", act.Detail);
        Assert.Equal("Coordonnatrice Test (Mairie)", act.By);
        Assert.Null(act.Member);
        var csv = await (await Service.SendAsync(Council.Auditeur, HttpMethod.Get,
            $"{Council.Api}/journal/administrative-acts/export?kind={CaseExchange.Journal.AdministrativeActs.AdministrativeActKinds.Imports}")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        foreach (var text in new[] { JsonSerializer.Serialize(acts), csv })
        {
            HoldsNoIdentity(text, p, q);
            Assert.DoesNotContain(pseudonym, text);
            Assert.DoesNotContain("garde", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(ImportRefusals.PoliceFileText, text);
        }
    }

    [Fact]
    public async Task Only_the_coordonnateur_imports_and_a_refusal_writes_nothing()
    {
        var p = Person("R");
        var before = await Service.EventCountAsync();
        foreach (var subject in new[] { Council.Animateur, Council.MemberOfHoldingGroup, Council.Auditeur, Council.President })
            await ImportAsync(SheetFiles.Csv([Header, Row("", p, Birth(p))]), "t.csv", subject, 403);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task A_file_that_is_not_a_spreadsheet_or_is_too_large_or_has_an_unknown_column_is_refused_whole()
    {
        var p = Person("S");
        var before = await Service.EventCountAsync();
        var (_, notASheet) = await ImportAsync([0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF, 0xFE, 0x00], "image.png", status: 400);
        Assert.Contains("fichier", notASheet);
        await ImportAsync([0x50, 0x4B, 0x03, 0x04, 1, 2, 3, 4, 5, 6], "cassé.xlsx", status: 400);
        var huge = SheetFiles.Csv([Header, .. Enumerable.Range(0, 30000).Select(_ => Row("", p, Birth(p), facts: new string('x', 100)))]);
        Assert.True(huge.Length > SpreadsheetReader.MaxFileBytes);
        await ImportAsync(huge, "gros.csv", status: 400);
        var (_, unknownColumn) = await ImportAsync(SheetFiles.Csv([[.. Header, "antécédents"], [.. Row("", p, Birth(p)), "x"]]), "t.csv", status: 400);
        HoldsNoIdentity(unknownColumn, p);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Fact]
    public async Task The_page_imports_shows_the_report_without_identity_and_asks_to_destroy_the_file()
    {
        var (p, q) = (Person("P"), Person("W"));
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var url = $"/c/{Council.Code}/import";
        var token = await Pages.AntiforgeryTokenAsync(client, url);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(SheetFiles.Csv([Header, Row("", p, Birth(p)), Row("", q, "")])), "Fichier", "tableur.csv" },
        };
        var response = await client.PostAsync(url, form, TestContext.Current.CancellationToken);
        var page = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("Rapport d'import", page);
        Assert.Contains(ImportRefusals.MissingBirthDate, page);
        Assert.Contains("Détruisez maintenant le fichier d'origine", page);
        HoldsNoIdentity(page, p, q);

        // Without the antiforgery token, nothing is imported.
        var before = await Service.EventCountAsync();
        using var forged = new MultipartFormDataContent { { new ByteArrayContent(SheetFiles.Csv([Header, Row("", q, Birth(q))])), "Fichier", "t.csv" } };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync(url, forged, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(before, await Service.EventCountAsync());
    }

    [Theory]
    [InlineData("Placé en GARDE À VUE hier", true)]
    [InlineData("Connu du TAJ", true)]
    [InlineData("Il a été interpellé", true)]
    [InlineData("Absences répétées, famille en difficulté", false)]
    [InlineData("Gavotte et vues sur la mer", false)]
    public void Police_file_text_is_recognised_on_whole_words(string text, bool expected) =>
        Assert.Equal(expected, PoliceFileText.LooksLikePoliceFile(text));
}
