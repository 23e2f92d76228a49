using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Journal.Verification;
using CaseExchange.Protection;
using CaseExchange.Situations.Viewing;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Journal;

public sealed class FileOpeningJournalTests(JournalFixture fixture) : IClassFixture<JournalFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;

    [Fact]
    public async Task Opening_a_file_journals_the_access_and_tells_the_member_it_is_recorded()
    {
        var person = TestPerson.Distinctive("Ouverture");
        var (id, pseudonym) = await Council.ReferAsync(Service, person, "Faits distinctifs Ouverture");
        Assert.Empty(await Service.JournalAsync(Council.Code, id));

        var response = await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id);
        await Answers.ExpectAsync(response, 200);
        var file = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Equal(CaseExchange.Journal.JournalNotice.Text, file.GetProperty("notice").GetString());
        Assert.Contains(person.Nom, file.GetRawText());

        var entry = Assert.Single(await Service.JournalAsync(Council.Code, id));
        Assert.True(entry.Granted);
        Assert.Equal(JournalActions.FileOpening, entry.Action);
        Assert.Equal(JournalTestSupport.Purpose, entry.Purpose);
        Assert.Equal(Council.Id(Council.MemberOfHoldingGroup), entry.MemberId);
        Assert.Equal(Council.MemberOfHoldingGroup, entry.Subject);
        Assert.Equal(pseudonym, entry.Pseudonym);
        Assert.Equal(1, entry.Sequence);
        Assert.Equal(JournalHash.Genesis.ToString(), entry.PreviousHash);

        var stored = await Service.StoredJournalAsync(Council.Code);
        foreach (var leakable in person.Leakables().Append("Faits distinctifs Ouverture"))
            Assert.DoesNotContain(leakable, stored);
    }

    [Fact]
    public async Task The_auditor_lists_the_entry_with_its_purpose_and_a_legitimate_replay()
    {
        var (id, pseudonym) = await Council.ReferAsync(Service, TestPerson.Distinctive("Liste"), "Faits Liste");
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.Animateur, id, new { purpose = "examen-en-seance" }), 200);

        var page = await Service.GetJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym={pseudonym}");
        // The opening only: a retention sweep another test class starts on the shared service may journal its own server
        // check of this situation at any moment.
        var item = Assert.Single(page.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == JournalActions.FileOpening);
        Assert.Equal("examen-en-seance", item.GetProperty("purpose").GetString());
        Assert.Equal("Examen de la situation en séance", item.GetProperty("purposeLabel").GetString());
        Assert.Equal(Council.Id(Council.Animateur), item.GetProperty("memberId").GetGuid());
        Assert.Equal("Membre animateur", item.GetProperty("memberName").GetString());
        Assert.True(item.GetProperty("granted").GetBoolean());
        Assert.Equal("legitime", item.GetProperty("replay").GetProperty("verdict").GetString());
        Assert.True(item.GetProperty("replay").GetProperty("entitledAtThatInstant").GetBoolean());
    }

    [Fact]
    public async Task Each_refused_attempt_is_journalled_with_its_reason_and_answered_403()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Refus"), "Faits Refus");
        var attempts = new (string Subject, string Refusal)[]
        {
            (Council.MemberOfOtherGroup, Refusals.NotInHoldingGroup),
            (Council.UnsignedMember, Refusals.CharterNotSigned),
            (Council.RemovedMember, Refusals.NotInHoldingGroup),
            (Council.Coordonnateur, Refusals.NotInHoldingGroup),
            (Council.Auditeur, Refusals.NotInHoldingGroup),
            (Council.President, Refusals.NotInHoldingGroup),
        };
        foreach (var (subject, refusal) in attempts)
        {
            var problem = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, subject, id), 403);
            Assert.Equal($"urn:caseexchange:problem:forbidden:{refusal}", problem.GetProperty("type").GetString());
            Assert.Equal(OpenFileUseCase.RefusalNotice, problem.GetProperty("notice").GetString());
        }

        var entries = await Service.JournalAsync(Council.Code, id);
        Assert.Equal(attempts.Length, entries.Count);
        for (var i = 0; i < attempts.Length; i++)
        {
            Assert.False(entries[i].Granted);
            Assert.Equal(attempts[i].Refusal, entries[i].Refusal);
            Assert.Equal(Council.Id(attempts[i].Subject), entries[i].MemberId);
        }
    }

    [Fact]
    public async Task Someone_outside_the_council_naming_a_situation_is_refused_and_journalled_by_login_only()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Intrus"), "Faits Intrus");
        var outsider = "intrus.hors-conseil";

        var problem = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, outsider, id), 403);
        Assert.Equal($"urn:caseexchange:problem:forbidden:{Refusals.NotACouncilMember}", problem.GetProperty("type").GetString());
        var entry = Assert.Single(await Service.JournalAsync(Council.Code, id));
        Assert.Null(entry.MemberId);
        Assert.Equal(outsider, entry.Subject);
        Assert.Equal(Refusals.NotACouncilMember, entry.Refusal);

        // A situation that does not exist gets the same answer, so that outsiders learn nothing; nothing to journal.
        var before = (await Service.JournalAsync(Council.Code)).Count;
        var unknown = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, outsider, Guid.NewGuid()), 403);
        Assert.Equal(problem.GetProperty("type").GetString(), unknown.GetProperty("type").GetString());
        Assert.Equal(before, (await Service.JournalAsync(Council.Code)).Count);
    }

    [Fact]
    public async Task An_incomplete_request_opens_nothing_and_a_missing_situation_is_404_for_a_member()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Incomplet"), "Faits Incomplet");
        var problem = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id, new { purpose = "curiosite" }), 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("purpose", out _));
        Assert.Empty(await Service.JournalAsync(Council.Code, id));

        await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, Guid.NewGuid()), 404);
    }

    [Fact]
    public async Task A_closed_situation_opens_only_with_a_written_reason_sealed_in_the_journal_and_shown_to_auditors_as_a_code()
    {
        var id = await fixture.Steps.ClosedAsync();
        var pseudonym = (await Service.GetJsonAsync<JsonElement>(Council.Coordonnateur, $"{Council.Api}/situations/{id}")).GetProperty("pseudonym").GetString();

        var refused = await Answers.ProblemAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id), 403);
        Assert.Equal($"urn:caseexchange:problem:forbidden:{Refusals.ArchiveReasonRequired}", refused.GetProperty("type").GetString());

        const string detail = "Réquisition du parquet n° 2026/117 visant Zorglubovitch Archive";
        var opened = await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id,
            new { purpose = "suivi", archiveReason = new { code = "requisition-judiciaire", detail } });
        await Answers.ExpectAsync(opened, 200);

        var entries = await Service.JournalAsync(Council.Code, id);
        Assert.Equal(2, entries.Count);
        Assert.All(entries, e => Assert.Equal(JournalActions.ArchiveOpening, e.Action));
        Assert.Equal(Refusals.ArchiveReasonRequired, entries[0].Refusal);
        var granted = entries[1];
        Assert.True(granted.Granted);
        Assert.Equal("requisition-judiciaire", granted.ArchiveReasonCode);
        var sealedDetail = Assert.IsType<SealedText>(granted.ArchiveReasonDetail);
        Assert.StartsWith("v1:", sealedDetail.Value);
        Assert.DoesNotContain("Zorglubovitch", await Service.StoredJournalAsync(Council.Code));

        // Sealed with the situation's key, under its own field: readable only through that key.
        await using (var session = Service.Store.QuerySession(Council.Code))
        {
            var cipher = await Service.Services.GetRequiredService<SituationKeys>().UnwrapAsync(session, id, TestContext.Current.CancellationToken);
            Assert.Equal(detail, cipher.Open(SealedFields.ArchiveAccessDetail, sealedDetail));
        }

        var listed = await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/entries?pseudonym={pseudonym}");
        await Answers.ExpectAsync(listed, 200);
        var text = await listed.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Zorglubovitch", text);
        Assert.DoesNotContain(sealedDetail.Value, text);
        var item = JsonDocument.Parse(text).RootElement.GetProperty("items")[0];
        Assert.Equal("requisition-judiciaire", item.GetProperty("archiveReasonCode").GetString());
        Assert.True(item.GetProperty("writtenReasonRecorded").GetBoolean());
        Assert.Equal("legitime", item.GetProperty("replay").GetProperty("verdict").GetString());
    }

    [Fact]
    public async Task The_CSV_export_is_UTF8_with_a_BOM_and_semicolons_and_holds_no_nominative_content()
    {
        var person = TestPerson.Distinctive("Export");
        var (id, pseudonym) = await Council.ReferAsync(Service, person, "Faits Export");
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfHoldingGroup, id), 200);
        await Answers.ExpectAsync(await Service.OpenFileAsync(Council, Council.MemberOfOtherGroup, id), 403);

        var response = await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/export?pseudonym={pseudonym}");
        await Answers.ExpectAsync(response, 200);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var all = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        foreach (var leakable in person.Leakables().Append("Faits Export"))
            Assert.DoesNotContain(leakable, string.Join("\n", all));
        // The openings only: a retention sweep another test class starts on the shared service may journal its own
        // server check of this situation (« controle-serveur ») at any moment.
        var lines = all.Where(l => l.StartsWith("horodatage_utc;") || l.Contains($";{JournalActions.FileOpening};")).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("horodatage_utc;pseudonyme;", lines[0]);
        Assert.Contains($";{pseudonym};", lines[1]);
        Assert.Contains(";hors-du-groupe-detenteur;", lines[2]);
        Assert.All(all.Skip(1).Except(lines), l => Assert.Contains($";{JournalActions.ServerCheck};", l));
    }

    [Fact]
    public async Task Only_the_auditor_reaches_the_journal()
    {
        foreach (var subject in new[] { Council.Coordonnateur, Council.Animateur, Council.MemberOfHoldingGroup, Council.President })
        {
            await Answers.ProblemAsync(await Service.GetAsync(subject, $"{Council.Api}/journal/entries"), 403);
            await Answers.ProblemAsync(await Service.GetAsync(subject, $"{Council.Api}/journal/export"), 403);
            await Answers.ProblemAsync(await Service.PostAsync(subject, $"{Council.Api}/journal/verifications", null), 403);
        }
        await Answers.ExpectAsync(await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/entries"), 200);
    }

    [Fact]
    public async Task Members_opening_one_file_at_once_all_get_it_and_its_chain_stays_whole()
    {
        var (id, _) = await Council.ReferAsync(Service, TestPerson.Distinctive("Ensemble"), "Faits Ensemble");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Service.OpenFileAsync(Council, i % 2 == 0 ? Council.MemberOfHoldingGroup : Council.Animateur, id)));
        foreach (var response in responses) await Answers.ExpectAsync(response, 200);

        var entries = await Service.JournalAsync(Council.Code, id);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), entries.Select(e => e.Sequence).Order());

        var verification = await Service.PostJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/verifications", null);
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.GetRawText());
        Assert.Equal(0, verification.GetProperty("unsealedEntryCount").GetInt64());
        var report = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code, TestContext.Current.CancellationToken);
        Assert.True(report.Intact);
        Assert.True(report.EntryCount >= 20);
    }
}
