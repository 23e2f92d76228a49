using System.Security.Claims;
using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Protection;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace CaseExchange.Seances.CompteRendu;

/// <summary>Withdraws one CR version: a reason from the charter's closed list, and the séance's version as last read.</summary>
public sealed record WithdrawCompteRendu(string? Reason, long? ExpectedVersion);

public sealed record CompteRenduWithdrawnResponse(Guid SeanceId, int Number, string Reason, DateTimeOffset WithdrawnAt, long Version);

public static class WithdrawCompteRenduEndpoint
{
    /// <summary>
    /// The coordonnateur withdraws a CR version (e.g. it lets a person be recognised): the version's key is destroyed and
    /// purged from disk, so its content can no longer be opened by anyone; downloads answer 410. Judged before the request
    /// is read; every refusal and the grant are journalled on the council's chain (the purpose is the reason's code).
    /// </summary>
    [JournalsItsRefusals]
    [WolverinePost("/api/councils/{council}/seances/{seanceId}/compte-rendu/versions/{number}/withdrawals",
        Summary = "Retirer une version du compte rendu (coordonnateur, journalisé : son contenu est détruit)"), Tags("Séances")]
    public static async Task<CompteRenduWithdrawnResponse> Post(string council, Guid seanceId, int number, WithdrawCompteRendu? command,
        ClaimsPrincipal user, IDocumentSession session, CharterPolicy policy, AccessJournal journal, CompteRenduKeys keys, TimeProvider clock,
        CancellationToken cancellation)
    {
        var subject = Actor.SubjectOf(user) ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var batch = session.CreateBatchQuery();
        var memberLookup = batch.Query<Member>().Where(m => m.Subject == subject).FirstOrDefault();
        var councilLookup = batch.Load<Council>(Council.StreamId);
        await batch.Execute(cancellation);
        var member = await memberLookup;
        var councilState = await councilLookup ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));

        var verdict = AccessRules.WithdrawCompteRendu(policy, member, councilState);
        // Only codes from the charter's list reach the journal, never text typed by the requester.
        var purpose = policy.CompteRenduWithdrawalReasons.Has(command?.Reason) ? command!.Reason : null;
        Task RefuseAsync(string refusal) =>
            journal.AppendCouncilRefusalAsync(council, JournalActions.CompteRenduWithdrawal, member?.Id, subject, purpose, refusal, cancellation);
        if (!verdict.Allowed)
        {
            await RefuseAsync(verdict.Refusal!);
            var refused = Actor.Forbidden(verdict.Refusal!);
            refused.Extensions["notice"] = "Cette demande a été enregistrée dans le journal des accès.";
            throw new ProblemException(refused);
        }

        var errors = new ValidationErrors()
            .When(command is null || purpose is null, "reason", "Le motif du retrait doit être choisi dans la liste de la charte.")
            .When(command?.ExpectedVersion is null, "expectedVersion", "La version attendue (expectedVersion) est obligatoire.");
        if (errors.Any)
        {
            await RefuseAsync(Refusals.InvalidRequest);
            errors.ThrowIfAny();
        }

        if (await session.LoadAsync<Seance>(seanceId, cancellation) is null)
        {
            await RefuseAsync(Refusals.InvalidRequest);
            throw Problems.NotFound("Séance introuvable dans ce conseil.");
        }
        var target = await SeanceForWriting.FetchAsync(session, seanceId);
        target.RequireVersion(command!.ExpectedVersion);
        var version = target.Seance.CompteRendus.FirstOrDefault(v => v.Number == number)
                      ?? throw Problems.NotFound("Cette version du compte rendu n'existe pas.");
        if (version.Withdrawn) throw Problems.OutOfOrder("Cette version du compte rendu est déjà retirée.");

        await journal.AppendAsync(council, new JournalRequest(JournalActions.CompteRenduWithdrawal, JournalChains.CouncilSituationId,
            JournalChains.CouncilPseudonym, member!.Id, subject, purpose, null, null, Granted: true, Refusal: null), cancellation);

        var now = clock.GetUtcNow();
        var after = target.Append(new CompteRenduWithdrawn(seanceId, number, purpose!, member.Id, now));
        keys.Destroy(session, seanceId, number);
        await session.SaveChangesAsync(cancellation);
        // Before answering: the destroyed key's bytes leave the table's file and the WAL, as after an erasure.
        await keys.PurgeWithdrawnAsync(cancellation);
        return new CompteRenduWithdrawnResponse(seanceId, number, purpose!, now, after);
    }
}
