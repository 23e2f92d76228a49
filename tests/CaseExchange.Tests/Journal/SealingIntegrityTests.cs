using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using CaseExchange.Journal;
using CaseExchange.Journal.Anchors;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Journal.Verification;
using CaseExchange.Protection;
using CaseExchange.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CaseExchange.Tests.Journal;

public sealed class SealingIntegrityFixture : CouncilFixture
{
    // Tampers with its database and starts nodes with other checkpoint keys on it.
    protected override bool OwnHost => true;

    protected override string Code => "scellement";
}

/// <summary>
/// The audit's first defect: a sealed chain rewritten consistently, its head document reset, then sealed again (the
/// auditor's own verification seals first) verified intact; a tampered head document was laundered into a checkpoint.
/// And the outside anchor: the list of checkpoint hashes the DPO keeps, compared with the database.
/// </summary>
public sealed class SealingIntegrityTests(SealingIntegrityFixture fixture) : IClassFixture<SealingIntegrityFixture>
{
    private TestService Service => fixture.Service;
    private TestCouncil Council => fixture.Council;
    private AccessJournal Journal => Service.Services.GetRequiredService<AccessJournal>();
    private JournalSealer Sealer => Service.Services.GetRequiredService<JournalSealer>();

    private async Task<Guid> ChainOfFourSealedAsync(string pseudonym)
    {
        var situation = Guid.CreateVersion7();
        for (var n = 0; n < 4; n++)
            await Journal.AppendAsync(Council.Code, new JournalRequest(JournalActions.FileOpening, situation, pseudonym, Guid.CreateVersion7(),
                "membre.test", "suivi", null, null, Granted: true, Refusal: null), TestContext.Current.CancellationToken);
        Assert.NotEmpty(await Sealer.SealAsync(Council.Code, TestContext.Current.CancellationToken));
        return situation;
    }

    private async Task<JsonElement> VerifyAsAuditorAsync() =>
        await Service.PostJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/verifications", null);

    [Fact]
    public async Task A_sealed_chain_rewritten_with_its_head_reset_is_detected_although_the_auditor_seals_first()
    {
        var situation = await ChainOfFourSealedAsync("S-2026-5501");
        var chain = JournalChains.ChainOf(situation);
        // Everything a database administrator can do without the key: rewrite entries 2 to 4, rehash and relink them,
        // and make the head document say that nothing of the new chain was sealed yet.
        var last = await JournalTampering.RewriteAsync(Service, Council.Code, chain, from: 2, e => e with { Granted = false, Purpose = "transfert" });
        await Service.ExecuteSqlAsync("""
            update caseexchange.mt_doc_journalchainhead
               set data = data || jsonb_build_object('SealedSequence', 0, 'SealedHash', '', 'LastHash', $3::text)
             where tenant_id = $1 and id = $2
            """, Council.Code, chain, last.Hash);

        var report = await VerifyAsAuditorAsync();
        Assert.False(report.GetProperty("intact").GetBoolean());
        var broken = report.GetProperty("breaks").EnumerateArray().Single(b => b.GetProperty("chainId").GetGuid() == chain);
        Assert.Equal((JournalBreakKinds.Altered, 4L), (broken.GetProperty("kind").GetString(), broken.GetProperty("sequence").GetInt64()));
    }

    [Fact]
    public async Task A_tampered_head_document_is_never_sealed_and_the_genuine_entries_stay_intact()
    {
        var situation = await ChainOfFourSealedAsync("S-2026-5502");
        var chain = JournalChains.ChainOf(situation);
        await Journal.AppendAsync(Council.Code, new JournalRequest(JournalActions.FileOpening, situation, "S-2026-5502", Guid.CreateVersion7(),
            "membre.test", "suivi", null, null, Granted: true, Refusal: null), TestContext.Current.CancellationToken);
        var genuine = await JournalTampering.HeadHashAsync(Service, Council.Code, chain);
        var forged = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await Service.ExecuteSqlAsync("update caseexchange.mt_doc_journalchainhead set data = jsonb_set(data, '{LastHash}', to_jsonb($3::text)) where tenant_id = $1 and id = $2",
            Council.Code, chain, forged);

        var report = await VerifyAsAuditorAsync();
        var broken = report.GetProperty("breaks").EnumerateArray().Single(b => b.GetProperty("chainId").GetGuid() == chain);
        Assert.Equal((JournalBreakKinds.HeadMismatch, 5L), (broken.GetProperty("kind").GetString(), broken.GetProperty("sequence").GetInt64()));
        await using (var session = Service.Store.QuerySession(Council.Code))
        {
            var checkpoints = await session.Events.FetchStreamAsync(JournalChains.CheckpointStreamId, token: TestContext.Current.CancellationToken);
            Assert.DoesNotContain(checkpoints.SelectMany(c => ((JournalCheckpointSealed)c.Data).Heads), h => h.Hash == forged);
        }

        // Put back, the head document agrees with the entries again: sealed, and nothing is reported on them.
        await Service.ExecuteSqlAsync("update caseexchange.mt_doc_journalchainhead set data = jsonb_set(data, '{LastHash}', to_jsonb($3::text)) where tenant_id = $1 and id = $2",
            Council.Code, chain, genuine);
        var repaired = await VerifyAsAuditorAsync();
        Assert.DoesNotContain(repaired.GetProperty("breaks").EnumerateArray(), b => b.GetProperty("chainId").GetGuid() == chain);
    }

    [Fact]
    public async Task The_auditor_exports_the_checkpoint_hashes_and_a_later_comparison_names_the_deleted_and_replaced_ones()
    {
        await ChainOfFourSealedAsync("S-2026-5503");
        await ChainOfFourSealedAsync("S-2026-5504");
        var export = await Service.GetAsync(Council.Auditeur, $"{Council.Api}/journal/anchors");
        await Answers.ExpectAsync(export, 200);
        Assert.StartsWith("text/plain", export.Content.Headers.ContentType!.ToString());
        var anchors = await export.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith(JournalAnchors.Header, anchors);

        var same = await Service.PostJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/anchors/comparisons", new { anchors });
        Assert.True(same.GetProperty("matches").GetBoolean());

        // The last two checkpoints deleted, the stream's version put back, and a new seal made in their place.
        var count = JournalAnchors.TryParse(anchors, out var list, out _) ? list.Count : 0;
        Assert.True(count >= 2);
        await Service.ExecuteSqlAsync("delete from caseexchange.mt_events where tenant_id = $1 and stream_id = $2 and version >= $3",
            Council.Code, JournalChains.CheckpointStreamId, (long)count - 1);
        await Service.ExecuteSqlAsync("update caseexchange.mt_streams set version = $3 where tenant_id = $1 and id = $2",
            Council.Code, JournalChains.CheckpointStreamId, (long)count - 2);
        await Service.ExecuteSqlAsync("update caseexchange.mt_doc_journalchainhead set data = jsonb_set(data, '{SealedSequence}', '0') where tenant_id = $1",
            Council.Code);
        await Sealer.SealAsync(Council.Code, TestContext.Current.CancellationToken);

        var differs = await Service.PostJsonAsync<JsonElement>(Council.Auditeur, $"{Council.Api}/journal/anchors/comparisons", new { anchors });
        Assert.False(differs.GetProperty("matches").GetBoolean());
        var kinds = differs.GetProperty("differences").EnumerateArray().Select(d => (d.GetProperty("kind").GetString(), d.GetProperty("sequence").GetInt64())).ToList();
        Assert.Equal([(AnchorDifferenceKinds.Altered, count - 1L), (AnchorDifferenceKinds.Missing, count)], kinds);
    }

    [Fact]
    public async Task The_DPO_list_is_downloaded_and_compared_from_the_checkpoints_page()
    {
        await ChainOfFourSealedAsync("S-2026-5506");
        var page = $"/c/{Council.Code}/journal/scellements";
        using var client = await Service.PageClientAsync(Council.Auditeur);
        var download = await client.GetAsync($"{page}?handler=liste", TestContext.Current.CancellationToken);
        await Answers.ExpectAsync(download, 200);
        var list = await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        async Task<HttpResponseMessage> CompareAsync(byte[]? file)
        {
            var form = new MultipartFormDataContent { { new StringContent(await Pages.AntiforgeryTokenAsync(client, page)), "__RequestVerificationToken" } };
            if (file is not null) form.Add(new ByteArrayContent(file), "liste", "points-de-scellement.txt");
            return await client.PostAsync($"{page}?handler=comparer", form, TestContext.Current.CancellationToken);
        }

        var same = await CompareAsync(list);
        await Answers.ExpectAsync(same, 200);
        Assert.Contains("sont tous présents et inchangés", await same.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var altered = System.Text.Encoding.UTF8.GetString(list);
        var lastLine = altered.TrimEnd('\n').Split('\n')[^1];
        altered = altered.Replace(lastLine, lastLine[..^64] + new string('a', 64));
        var differs = await CompareAsync(System.Text.Encoding.UTF8.GetBytes(altered));
        await Answers.ExpectAsync(differs, 200);
        Assert.Contains("Point de scellement modifié", await differs.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        var empty = await CompareAsync(null);
        Assert.Equal(400, (int)empty.StatusCode);
        Assert.Contains("La liste des points de scellement est vide.", await empty.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_unreadable_list_is_a_French_problem_that_does_not_echo_it()
    {
        var response = await Service.PostAsync(Council.Auditeur, $"{Council.Api}/journal/anchors/comparisons", new { anchors = "1;;;Dupont-Marchal-Secret" });
        var problem = await Answers.ProblemAsync(response, 400);
        Assert.DoesNotContain("Dupont-Marchal-Secret", problem.GetRawText());
        Assert.Contains("Ligne 1 illisible", problem.GetRawText());
        await Answers.ProblemAsync(await Service.PostAsync(Council.Auditeur, $"{Council.Api}/journal/anchors/comparisons", new { }), 400);
        await Answers.ExpectAsync(await Service.GetAsync(Council.MemberOfHoldingGroup, $"{Council.Api}/journal/anchors"), 403);
    }

    [Fact]
    public async Task After_moving_to_a_key_file_earlier_checkpoints_still_verify_and_a_node_without_that_file_rejects_the_new_ones()
    {
        var situation = await ChainOfFourSealedAsync("S-2026-5505");
        var file = Path.Combine(TestSecrets.Directory, $"checkpoint-key-{Guid.NewGuid():N}");
        File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(48));
        await using var rotated = await TestService.StartAsync(Service.ConnectionString,
            settings: new Dictionary<string, string?> { ["Journal:CheckpointKeyFile"] = file });
        await Journal.AppendAsync(Council.Code, new JournalRequest(JournalActions.FileOpening, situation, "S-2026-5505", Guid.CreateVersion7(),
            "membre.test", "suivi", null, null, Granted: true, Refusal: null), TestContext.Current.CancellationToken);
        var sealedWithFile = Assert.Single(await rotated.Services.GetRequiredService<JournalSealer>().SealAsync(Council.Code, TestContext.Current.CancellationToken));
        Assert.NotEqual(Service.Services.GetRequiredService<JournalCheckpointKey>().KeyId, sealedWithFile.KeyId);

        var withFile = await rotated.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code, TestContext.Current.CancellationToken);
        Assert.DoesNotContain(withFile.Breaks, b => b.InCheckpointChain);
        var withoutFile = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(Council.Code, TestContext.Current.CancellationToken);
        var rejected = Assert.Single(withoutFile.Breaks, b => b.InCheckpointChain);
        Assert.Equal((JournalBreakKinds.Unauthenticated, sealedWithFile.Sequence), (rejected.Kind, rejected.Sequence));
        // Put back to one key for the other tests of this class.
        await Service.ExecuteSqlAsync("delete from caseexchange.mt_events where tenant_id = $1 and stream_id = $2 and version = $3",
            Council.Code, JournalChains.CheckpointStreamId, sealedWithFile.Sequence);
        await Service.ExecuteSqlAsync("update caseexchange.mt_streams set version = $3 where tenant_id = $1 and id = $2",
            Council.Code, JournalChains.CheckpointStreamId, sealedWithFile.Sequence - 1);
        await Service.ExecuteSqlAsync("update caseexchange.mt_doc_journalchainhead set data = jsonb_set(data, '{SealedSequence}', '0') where tenant_id = $1 and id = $2",
            Council.Code, JournalChains.ChainOf(situation));
    }

    [Fact]
    public async Task Unkeyed_checkpoints_from_before_the_upgrade_are_accepted_only_up_to_the_configured_sequence()
    {
        const string council = "ancien";
        var situation = Guid.CreateVersion7();
        for (var round = 0; round < 3; round++)
        {
            for (var n = 0; n < 2; n++)
                await Journal.AppendAsync(council, new JournalRequest(JournalActions.FileOpening, situation, "S-2026-5507", Guid.CreateVersion7(),
                    "membre.test", "suivi", null, null, Granted: true, Refusal: null), TestContext.Current.CancellationToken);
            await Sealer.SealAsync(council, TestContext.Current.CancellationToken);
        }
        // History as an earlier version left it: checkpoints 1 and 2 sealed without a key, 3 sealed (keyed) after the upgrade.
        var key = Service.Services.GetRequiredService<JournalCheckpointKey>();
        await JournalTampering.RebuildCheckpointsAsync(Service, council,
            before: c => c.Sequence <= 2 ? c with { Format = JournalHashing.UnkeyedCheckpointFormat, KeyId = null, Mac = null } : c,
            mac: (c, hash) => c.Format == JournalHashing.CheckpointFormat ? c with { Mac = key.Mac(council, hash) } : c);

        static long[] Rejected(JournalVerificationReport report) =>
            [.. report.Breaks.Where(b => b.InCheckpointChain && b.Kind == JournalBreakKinds.Unauthenticated).Select(b => b.Sequence)];
        var strict = await Service.Services.GetRequiredService<JournalVerifier>().VerifyAsync(council, TestContext.Current.CancellationToken);
        Assert.True(Rejected(strict) is [1L, 2L], JournalVerifyVerb.Describe(strict));

        await using var upgraded = await TestService.StartAsync(Service.ConnectionString,
            settings: new Dictionary<string, string?> { ["Journal:AcceptUnkeyedCheckpointsUpTo"] = "1" });
        var lenient = await upgraded.Services.GetRequiredService<JournalVerifier>().VerifyAsync(council, TestContext.Current.CancellationToken);
        Assert.Equal([2L], Rejected(lenient));
        Assert.Equal(3, lenient.UnkeyedCheckpointCount + 1);
    }

    [Fact]
    public void The_checkpoint_key_comes_from_outside_the_database_and_another_key_does_not_verify()
    {
        using var certificate = X509CertificateLoader.LoadPkcs12FromFile(TestSecrets.KeyRingCertificatePath, null, X509KeyStorageFlags.EphemeralKeySet);
        var fromCertificate = JournalCheckpointKey.FromCertificate(new KeyRingCertificate(certificate));
        // Deterministic: every node holding the certificate derives the same key.
        Assert.Equal(fromCertificate.KeyId, JournalCheckpointKey.FromCertificate(new KeyRingCertificate(certificate)).KeyId);
        Assert.Equal(fromCertificate.KeyId, Service.Services.GetRequiredService<JournalCheckpointKey>().KeyId);

        using var other = X509CertificateLoader.LoadPkcs12FromFile(TestSecrets.CreateOtherCertificate(), null, X509KeyStorageFlags.EphemeralKeySet);
        var otherKey = JournalCheckpointKey.FromCertificate(new KeyRingCertificate(other));
        var file = Path.Combine(TestSecrets.Directory, $"checkpoint-key-{Guid.NewGuid():N}");
        File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(48));
        var fromFile = JournalCheckpointKey.Create(new JournalOptions { CheckpointKeyFile = file }, new KeyRingCertificate(certificate));

        var hash = JournalHash.Parse(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        var mac = fromCertificate.Mac("scellement", hash);
        Assert.True(fromCertificate.Verifies("scellement", hash, mac));
        Assert.False(fromCertificate.Verifies("autre", hash, mac));
        Assert.False(otherKey.Verifies("scellement", hash, mac));
        Assert.False(fromFile.Verifies("scellement", hash, mac));
        Assert.Equal(3, new[] { fromCertificate.KeyId, otherKey.KeyId, fromFile.KeyId }.Distinct().Count());

        File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(16));
        Assert.Throws<InvalidOperationException>(() => JournalCheckpointKey.Create(new JournalOptions { CheckpointKeyFile = file }, new KeyRingCertificate(certificate)));
    }
}
