using CaseExchange.Charter;
using Microsoft.Extensions.DependencyInjection;
using CaseExchange.Situations;
using CaseExchange.Protection;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CaseExchange.Tests.Infrastructure;
using DocumentFormat.OpenXml.Packaging;
using CaseExchange.Journal;
using CaseExchange.Seances.CompteRendu;
using CaseExchange.Tests.Journal;
using CaseExchange.Tests.Protection;
using Npgsql;

namespace CaseExchange.Tests.Seances;

public sealed class CompteRenduFixture : SeanceCouncilFixture
{
    // Searches the raw files of its database for purged keys.
    protected override bool OwnHost => true;

    public static readonly TestPerson Alpha = TestPerson.Distinctive("Cra");
    public static readonly TestPerson Beta = TestPerson.Distinctive("Crb");
    public static readonly TestPerson Reported = TestPerson.Distinctive("Crc");

    /// <summary>Two situations examined with decisions and actions, one postponed; closed.</summary>
    public ClosedSeance Seance { get; private set; } = null!;

    protected override async Task SeedAsync(TestService service)
    {
        await base.SeedAsync(service);
        Seance = await new SeanceSteps(service, Council).ClosedSeanceAsync([Alpha, Beta], Reported);
    }

    public IEnumerable<string> EverythingThatMustNotLeave =>
    [
        .. Leaks.Of(Alpha), .. Leaks.Of(Beta), .. Leaks.Of(Reported), .. Leaks.Secrets,
        // Members are named nowhere in the CR: organisations and functions only.
        "Membre animateur", "Membre membre-a", "Membre referent", "Coordonnatrice Test", "Membre sans-signature",
    ];
}

public sealed class CompteRenduTests(CompteRenduFixture fixture) : IClassFixture<CompteRenduFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private SeanceSteps Steps => new(Service, Council);
    private ClosedSeance Seance => fixture.Seance;

    private const string CleanSynthese = "Le groupe constate une amélioration de l'assiduité ; la famille est accompagnée par le CCAS.";
    private const string CleanNextSteps = "Point d'étape à la prochaine séance ; le bailleur informera le groupe.";

    [Fact]
    public async Task No_CR_format_contains_an_identity_field_of_any_person()
    {
        var created = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, $"{Steps.Api}/seances/{Seance.SeanceId}/compte-rendu",
            new { synthese = CleanSynthese, prochainesEtapes = CleanNextSteps, expectedVersion = await Steps.SeanceVersionAsync(Seance.SeanceId) }, 201);
        var number = created.GetProperty("number").GetInt32();

        foreach (var (format, text) in await AllFormatsAsync(number))
        {
            foreach (var (_, pseudonym) in Seance.Examined) Assert.Contains(pseudonym, text);
            Assert.Contains(Seance.Postponed!.Value.Pseudonym, text);
            Assert.Contains("Décrochage ou absentéisme scolaire", text);
            Assert.Contains("Orientation vers un dispositif ou un partenaire", text);
            Assert.Contains("Prise de contact avec la famille", text);
            Assert.Contains("Prévention spécialisée (Éducateur de prévention spécialisée)", text);
            Assert.Contains("16 à 17 ans", text);
            Assert.Contains("Quartier nord", text);
            Assert.Contains("Éducation nationale", text); // an organisation present at the nominative part
            Assert.Contains("Association de quartier", text); // a guest, general part only
            Assert.Contains("la famille est accompagnée par le CCAS", text);
            Leaks.AssertNone(text, fixture.EverythingThatMustNotLeave, $"the CR as {format}");
        }
    }

    [Theory]
    [InlineData("Contacter ZORGLUBOVITCHCRA avant la prochaine séance.")]
    [InlineData("Contacter zorglubovitchcrb avant la prochaine séance.")]
    [InlineData("Philomene sera reçue par le CCAS.")]
    [InlineData("Voir avec Zorglubo la semaine prochaine.")]
    [InlineData("Rendez-vous impasse des quetzalscra.")]
    [InlineData("Appeler le 06.12.34.56.78.")]
    public async Task Free_text_naming_a_person_is_refused_whatever_the_case_accents_or_truncation(string text)
    {
        var versions = await VersionCountAsync();
        var response = await Steps.GenerateAsync(Seance.SeanceId, CleanSynthese, text);
        var body = await response.Content.ReadAsStringAsync();
        var problem = await Answers.ProblemAsync(response, 400);

        Assert.Equal("urn:caseexchange:problem:identifying-free-text", problem.GetProperty("type").GetString());
        var message = problem.GetProperty("errors").GetProperty("prochainesEtapes")[0].GetString()!;
        Assert.Contains("prochaines étapes", message);
        // One generic message whatever matched: the answer never says which kind of identity it was.
        Assert.Equal(IdentifyingText.Message("Le texte « prochaines étapes »"), message);
        Assert.False(problem.GetProperty("errors").TryGetProperty("synthese", out _));
        var finding = problem.GetProperty("findings")[0];
        Assert.True(finding.GetProperty("start").GetInt32() >= 0 && finding.GetProperty("length").GetInt32() > 0);
        // The answer points at the passage; it never repeats an identity.
        Leaks.AssertNone(body, [.. Leaks.Of(CompteRenduFixture.Alpha), .. Leaks.Of(CompteRenduFixture.Beta)], "the refusal");
        Assert.Equal(versions, await VersionCountAsync());
        // The refusal is kept on the séance (field only), and the séance is intact.
        var view = await Steps.ViewAsync(Seance.SeanceId);
        Assert.Equal("GT A (détenteur)", view.GetProperty("groupName").GetString());
        Assert.True(view.GetProperty("closed").GetBoolean());
    }

    [Fact]
    public async Task A_note_on_a_situation_is_checked_like_the_other_texts()
    {
        var (id, pseudonym) = Seance.Examined[0];
        var problem = await Answers.ProblemAsync(await Steps.GenerateAsync(Seance.SeanceId, CleanSynthese, CleanNextSteps,
            [new { situationId = id, text = $"Née le {CompteRenduFixture.Alpha.DateNaissance:dd/MM/yyyy}, vue par l'éducatrice." }]), 400);
        Assert.Contains(pseudonym, problem.GetProperty("errors").GetProperty("notes[0].text")[0].GetString());

        var response = await Steps.GenerateAsync(Seance.SeanceId, CleanSynthese, CleanNextSteps,
            [new { situationId = Seance.Postponed!.Value.Id, text = "Reportée." }]);
        var notExamined = await Answers.ProblemAsync(response, 400);
        Assert.True(notExamined.GetProperty("errors").TryGetProperty("notes[0].situationId", out _));
    }

    [Fact]
    public async Task Regenerating_the_CR_keeps_the_earlier_version()
    {
        await Answers.ExpectAsync(await Steps.GenerateAsync(Seance.SeanceId, "Première rédaction de la synthèse."), 201);
        await Answers.ExpectAsync(await Steps.GenerateAsync(Seance.SeanceId, "Rédaction corrigée de la synthèse."), 201);

        var versions = await Service.GetJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Steps.Api}/seances/{Seance.SeanceId}/compte-rendu");
        var numbers = versions.EnumerateArray().Select(v => v.GetProperty("number").GetInt32()).ToList();
        var (latest, previous) = (numbers.Max(), numbers.Max() - 1);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());

        var earlier = await TextOfAsync(await Steps.DownloadAsync(Seance.SeanceId, previous, "md"));
        var later = await TextOfAsync(await Steps.DownloadAsync(Seance.SeanceId, latest, "md"));
        Assert.Contains("Première rédaction", earlier);
        Assert.DoesNotContain("corrigée", earlier);
        Assert.Contains("Rédaction corrigée", later);
        Assert.Contains($"version {previous}", earlier);
    }

    [Fact]
    public async Task Only_those_who_prepare_the_seance_generate_the_CR_and_only_the_group_reads_it()
    {
        await Answers.ExpectAsync(await Steps.GenerateAsync(Seance.SeanceId, CleanSynthese), 201);
        var url = $"{Steps.Api}/seances/{Seance.SeanceId}/compte-rendu";

        foreach (var outsider in new[] { Council.MemberOfOtherGroup, Council.MemberOfHoldingGroup, Council.President, Council.Auditeur, Council.UnsignedMember })
            await Answers.ProblemAsync(await Steps.GenerateAsync(Seance.SeanceId, CleanSynthese, by: outsider), 403);
        await Answers.ExpectAsync(await Steps.GenerateAsync(Seance.SeanceId, CleanSynthese, by: Council.Animateur), 201);

        foreach (var reader in new[] { Council.MemberOfHoldingGroup, Council.Animateur, Council.Coordonnateur })
            await Answers.ExpectAsync(await Steps.DownloadAsync(Seance.SeanceId, 1, "html", reader), 200);
        foreach (var outsider in new[] { Council.MemberOfOtherGroup, Council.President, Council.Auditeur, Council.UnsignedMember, Council.RemovedMember })
        {
            await Answers.ProblemAsync(await Service.GetAsync(outsider, url), 403);
            await Answers.ProblemAsync(await Steps.DownloadAsync(Seance.SeanceId, 1, "docx", outsider), 403);
        }
    }

    [Fact]
    public async Task An_action_owner_naming_a_person_is_masked_in_the_CR()
    {
        var person = TestPerson.Distinctive("Crm");
        var seance = await Steps.ScheduleAsync();
        var situation = await Council.ReferAsync(Service, person, "Faits.");
        await Steps.PlaceAsync(situation.Id, seance);
        await Answers.ExpectAsync(await Steps.RecordAttendanceAsync(seance, [Council.Animateur]), 200);
        await Answers.ExpectAsync(await Steps.ExamineAsync(situation.Id, seance), 200);
        // The API refuses such an owner now; the CR still masks one recorded before that check existed.
        await using (var session = Service.Store.LightweightSession(Council.Code))
        {
            var stream = await session.Events.FetchForWriting<Situation>(situation.Id);
            var cipher = await Service.Services.GetRequiredService<SituationKeys>().SealerForAsync(session, situation.Id);
            stream.AppendOne(new FollowUpAssigned(situation.Id, Council.Id(Council.Referent),
                [new PlannedAction(Guid.NewGuid(), "mediation", "Famille", $"Tante de {person.Prenom}", DateOnly.FromDateTime(DateTime.UtcNow.AddDays(9)),
                    cipher.Seal(SealedFields.ActionDescription, "Médiation"))], Council.Id(Council.Coordonnateur), DateTimeOffset.UtcNow));
            await session.SaveChangesAsync();
        }
        await Answers.ExpectAsync(await Steps.CloseAsync(seance), 200);

        await Answers.ExpectAsync(await Steps.GenerateAsync(seance, CleanSynthese), 201);
        var markdown = await TextOfAsync(await Steps.DownloadAsync(seance, 1, "md"));
        Assert.Contains("[mention occultée]", markdown.Replace("\\[", "[").Replace("\\]", "]"));
        Leaks.AssertNone(markdown, Leaks.Of(person), "the CR");
    }

    [Fact]
    public async Task The_DOCX_opens_as_a_Word_document_with_the_CR_text()
    {
        await Answers.ExpectAsync(await Steps.GenerateAsync(Seance.SeanceId, CleanSynthese), 201);
        var response = await Steps.DownloadAsync(Seance.SeanceId, 1, "docx");
        await Answers.ExpectAsync(response, 200);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".docx", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        DocxValidity.AssertValid(bytes, "the CR");
        var text = DocxText(bytes);
        Assert.Contains("Compte rendu anonymisé", text);
        Assert.Contains(Seance.Examined[0].Pseudonym, text);
    }

    [Fact]
    public async Task The_DOCX_converts_to_PDF_with_LibreOffice_where_it_is_installed()
    {
        var office = new[] { "soffice", "libreoffice" }.Select(Which).FirstOrDefault(p => p is not null);
        if (office is null) Assert.Skip("LibreOffice (soffice) n'est pas installé sur cette machine : conversion non vérifiée.");

        await Answers.ExpectAsync(await Steps.GenerateAsync(Seance.SeanceId, CleanSynthese), 201);
        var directory = Directory.CreateTempSubdirectory("caseexchange-cr-");
        try
        {
            var docx = Path.Combine(directory.FullName, "cr.docx");
            await File.WriteAllBytesAsync(docx, await (await Steps.DownloadAsync(Seance.SeanceId, 1, "docx")).Content.ReadAsByteArrayAsync());
            var start = new ProcessStartInfo(office!, ["--headless", $"-env:UserInstallation=file://{directory.FullName}/profile", "--convert-to", "pdf",
                "--outdir", directory.FullName, docx]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(start)!;
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
            var pdf = await File.ReadAllBytesAsync(Path.Combine(directory.FullName, "cr.pdf"));
            Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task The_coordonnateur_withdraws_a_version_its_content_is_destroyed_and_a_new_version_starts_empty()
    {
        // A séance of its own: the other tests read version 1 of the shared one.
        var seance = (await Steps.ClosedSeanceAsync([TestPerson.Distinctive("Crr")])).SeanceId;
        const string Withdrawn = "Synthèse QUIRLIWOMP : la formulation laisse reconnaître une famille du quartier.";
        const string Kept = "Synthèse VANDREBOLT reprise après le retrait.";
        await Answers.ExpectAsync(await Steps.GenerateAsync(seance, Withdrawn), 201);
        Assert.Contains("QUIRLIWOMP", await TextOfAsync(await Steps.DownloadAsync(seance, 1, "md")));

        // Sealed: the event store holds the version's ciphertext and hash, never its text; the key is in its own table.
        Assert.DoesNotContain("QUIRLIWOMP", await StoredAsync("select coalesce(string_agg(data::text, ''), '') from caseexchange.mt_events where stream_id = $1", seance));
        var wrappedKey = await CompteRenduKeyAsync(seance, 1);
        Assert.NotNull(wrappedKey);

        // The next version starts from this one's texts.
        var page = await PageAsync(seance);
        Assert.Contains("QUIRLIWOMP", WebUtility.HtmlDecode(page));

        var url = $"{Steps.Api}/seances/{seance}/compte-rendu/versions/1/withdrawals";
        var version = await Steps.SeanceVersionAsync(seance);
        // The animateur, who establishes CRs, may not destroy one; the refusal is journalled and changes nothing.
        var refused = await Answers.ProblemAsync(await Service.PostAsync(Council.Animateur, url, new { reason = "erreur-materielle", expectedVersion = version }), 403);
        Assert.Contains("journal", refused.GetProperty("notice").GetString());
        var badReason = await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { reason = "parce-que", expectedVersion = version }), 400);
        Assert.True(badReason.GetProperty("errors").TryGetProperty("reason", out _));
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { reason = "personne-identifiable", expectedVersion = version - 1 }), 409);
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, $"{Steps.Api}/seances/{seance}/compte-rendu/versions/7/withdrawals",
            new { reason = "personne-identifiable", expectedVersion = version }), 404);
        Assert.Equal(version, await Steps.SeanceVersionAsync(seance));
        Assert.NotNull(await CompteRenduKeyAsync(seance, 1));

        var withdrawn = await Service.PostJsonAsync<JsonElement>(Council.Coordonnateur, url, new { reason = "personne-identifiable", expectedVersion = version });
        Assert.Equal(version + 1, withdrawn.GetProperty("version").GetInt64());
        await Answers.ProblemAsync(await Service.PostAsync(Council.Coordonnateur, url, new { reason = "personne-identifiable", expectedVersion = version + 1 }), 409);

        // Gone for everyone, in every format; the key row is deleted and its bytes purged from the files and the WAL.
        foreach (var format in CompteRenduFormats.All)
        foreach (var reader in new[] { Council.Coordonnateur, Council.MemberOfHoldingGroup })
        {
            var gone = await Answers.ProblemAsync(await Steps.DownloadAsync(seance, 1, format, reader), 410);
            Assert.Equal(ProtectionProblemTypes.CompteRenduWithdrawn, gone.GetProperty("type").GetString());
        }
        Assert.Null(await CompteRenduKeyAsync(seance, 1));
        var postgres = await TestPostgres.GetAsync();
        if (postgres.Cluster is not null)
        {
            var left = (await RawFiles.OfAsync(postgres.Cluster.DataDirectory, Service.ConnectionString)).Find(wrappedKey!);
            // The purge leaves a deleted row behind while a transaction older than the withdrawal still runs in the shared
            // database (it waits 10 s, then says so and leaves it to the next purge): on a loaded machine, run the next one.
            for (var attempt = 0; attempt < 3 && left.Count > 0; attempt++)
            {
                await Service.Services.GetRequiredService<SituationKeys>().PurgeAsync(CompteRenduKeyTable.Name, TestContext.Current.CancellationToken);
                left = (await RawFiles.OfAsync(postgres.Cluster.DataDirectory, Service.ConnectionString)).Find(wrappedKey!);
            }
            Assert.True(left.Count == 0, $"bytes of the withdrawn version's key remain in: {string.Join(", ", left)}");
        }
        var listed = Assert.Single((await Service.GetJsonAsync<JsonElement>(Council.MemberOfHoldingGroup, $"{Steps.Api}/seances/{seance}/compte-rendu")).EnumerateArray());
        Assert.True(listed.GetProperty("withdrawn").GetBoolean());
        Assert.Equal("personne-identifiable", listed.GetProperty("withdrawalReason").GetString());
        Assert.Empty(listed.GetProperty("downloads").EnumerateObject());

        // The page says the texts are gone and starts empty; a new version is established and readable.
        page = WebUtility.HtmlDecode(await PageAsync(seance));
        Assert.Contains("La version précédente a été retirée", page);
        Assert.DoesNotContain("QUIRLIWOMP", page);
        await Answers.ExpectAsync(await Steps.GenerateAsync(seance, Kept), 201);
        Assert.Contains("VANDREBOLT", await TextOfAsync(await Steps.DownloadAsync(seance, 2, "md")));
        page = WebUtility.HtmlDecode(await PageAsync(seance));
        Assert.Contains("VANDREBOLT", page);
        Assert.Contains("Retirée le", page);
        Assert.Contains("Retirer la version 2", page);

        // The page's form withdraws through the same use case.
        using (var client = await Service.PageClientAsync(Council.Coordonnateur))
        {
            var pageUrl = $"/c/{Council.Code}/seances/{seance}/compte-rendu";
            var posted = await client.PostAsync($"{pageUrl}?handler=Retirer&version=2", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = await Pages.AntiforgeryTokenAsync(client, pageUrl),
                ["reason"] = "demande-du-groupe", ["expectedVersion"] = (await Steps.SeanceVersionAsync(seance)).ToString(),
            }));
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }
        await Answers.ProblemAsync(await Steps.DownloadAsync(seance, 2, "html"), 410);

        // The auditor sees the refusal and the withdrawal on the council's chain, both legitimate on replay, the reason as code only.
        var journal = (await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym=CONSEIL&pageSize=200"))
            .GetProperty("items").EnumerateArray().Where(e => e.GetProperty("action").GetString() == JournalActions.CompteRenduWithdrawal).ToList();
        var granted = Assert.Single(journal, e => e.GetProperty("granted").GetBoolean() && e.GetProperty("purpose").GetString() == "personne-identifiable");
        Assert.Equal("personne-identifiable", granted.GetProperty("purpose").GetString());
        Assert.Equal("legitime", granted.GetProperty("replay").GetProperty("verdict").GetString());
        Assert.Contains(journal, e => !e.GetProperty("granted").GetBoolean() && e.GetProperty("memberId").GetGuid() == Council.Id(Council.Animateur)
                                      && e.GetProperty("replay").GetProperty("verdict").GetString() == "legitime");
        Assert.DoesNotContain("QUIRLIWOMP", await Service.StoredJournalAsync(Council.Code));
    }

    [Fact]
    public async Task A_withdrawal_granted_to_someone_else_than_the_coordonnateur_is_flagged_on_replay()
    {
        // As a bug would write it: a granted withdrawal by the animateur, on the council's chain.
        var crafted = await Service.Services.GetRequiredService<AccessJournal>().AppendAsync(Council.Code, new JournalRequest(
            JournalActions.CompteRenduWithdrawal, JournalChains.CouncilSituationId, JournalChains.CouncilPseudonym, Council.Id(Council.Animateur),
            Council.Animateur, "erreur-materielle", null, null, Granted: true, Refusal: null));

        var entry = (await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym=CONSEIL&pageSize=200"))
            .GetProperty("items").EnumerateArray().Single(e => e.GetProperty("entryId").GetGuid() == crafted.EntryId);
        Assert.Equal("signale", entry.GetProperty("replay").GetProperty("verdict").GetString());
        Assert.Contains("accorde-sans-droit", entry.GetProperty("replay").GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
    }

    private async Task<string> PageAsync(Guid seance)
    {
        using var client = await Service.PageClientAsync(Council.Coordonnateur);
        var response = await client.GetAsync($"/c/{Council.Code}/seances/{seance}/compte-rendu");
        await Answers.ExpectAsync(response, 200);
        return await response.Content.ReadAsStringAsync();
    }

    private async Task<byte[]?> CompteRenduKeyAsync(Guid seance, int number)
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select wrapped_key from {CompteRenduKeyTable.Name} where council = $1 and seance_id = $2 and number = $3", connection)
        {
            Parameters = { new() { Value = Council.Code }, new() { Value = seance }, new() { Value = number } },
        };
        return await command.ExecuteScalarAsync() as byte[];
    }

    private async Task<string> StoredAsync(string sql, Guid streamId)
    {
        await using var connection = new NpgsqlConnection(Service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { Parameters = { new() { Value = streamId } } };
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private async Task<int> VersionCountAsync() =>
        (await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Steps.Api}/seances/{Seance.SeanceId}/compte-rendu")).GetArrayLength();

    private async Task<IEnumerable<(string Format, string Text)>> AllFormatsAsync(int number)
    {
        var result = new List<(string, string)>();
        foreach (var format in new[] { "docx", "html", "md" })
        {
            var response = await Steps.DownloadAsync(Seance.SeanceId, number, format);
            await Answers.ExpectAsync(response, 200);
            Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
            var bytes = await response.Content.ReadAsByteArrayAsync();
            result.Add((format, format == "docx" ? DocxText(bytes) + DocxEveryPart(bytes) : WebUtility.HtmlDecode(System.Text.Encoding.UTF8.GetString(bytes))));
        }
        return result;
    }

    private static async Task<string> TextOfAsync(HttpResponseMessage response)
    {
        await Answers.ExpectAsync(response, 200);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The document's text, paragraph by paragraph, as the OpenXml SDK reads it.</summary>
    private static string DocxText(byte[] bytes)
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(bytes), false);
        return string.Join("\n", document.MainDocumentPart!.Document!.Body!
            .Descendants<DocumentFormat.OpenXml.Wordprocessing.Paragraph>().Select(p => p.InnerText));
    }

    /// <summary>Every part of the package in raw form (XML, properties), so that nothing hides outside the body.</summary>
    private static string DocxEveryPart(byte[] bytes)
    {
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(bytes));
        return string.Join("\n", archive.Entries.Select(e =>
        {
            using var reader = new StreamReader(e.Open());
            return reader.ReadToEnd();
        }));
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}
