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
    public static Task<CompteRenduWithdrawnResponse> Post(Guid seanceId, int number, WithdrawCompteRendu? command, CouncilRequest request,
        AccessJournal journal, CompteRenduKeys keys) =>
        WithdrawCompteRenduUseCase.HandleAsync(request, seanceId, number, command, journal, keys);
}

/// <summary>Withdrawing a CR version: judged and journalled (refusals included) before anything is read; the version's key destroyed and purged.</summary>
public static class WithdrawCompteRenduUseCase
{
    public static async Task<CompteRenduWithdrawnResponse> HandleAsync(CouncilRequest request, Guid seanceId, int number, WithdrawCompteRendu? command,
        AccessJournal journal, CompteRenduKeys keys)
    {
        var (session, policy, cancellation) = (request.Session, request.Policy, request.Cancellation);
        var subject = request.Subject ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));
        var member = request.Caller;
        var councilState = request.CouncilState ?? throw new ProblemException(Actor.Forbidden(Refusals.NotACouncilMember));

        var verdict = AccessRules.WithdrawCompteRendu(policy, member, councilState);
        // Only codes from the charter's list reach the journal, never text typed by the requester.
        var purpose = policy.CompteRenduWithdrawalReasons.Has(command?.Reason) ? command!.Reason : null;
        Task RefuseAsync(string refusal) =>
            journal.AppendCouncilRefusalAsync(request.Council, JournalActions.CompteRenduWithdrawal, member?.Id, subject, purpose, refusal, cancellation);
        if (!verdict.Allowed)
        {
            await RefuseAsync(verdict.Refusal!);
            var refused = Actor.Forbidden(verdict.Refusal!);
            refused.Extensions["notice"] = "Cette demande a été enregistrée dans le journal des accès.";
            throw new ProblemException(refused);
        }

        var errors = Check(command, policy);
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
        var now = request.Now;
        var withdrawn = Decide(target.Seance, number, purpose!, member!.Id, now);

        await journal.AppendAsync(request.Council, new JournalRequest(JournalActions.CompteRenduWithdrawal, JournalChains.CouncilSituationId,
            JournalChains.CouncilPseudonym, member.Id, subject, purpose, null, null, Granted: true, Refusal: null), cancellation);

        var after = target.Append(withdrawn);
        keys.Destroy(session, seanceId, number);
        await session.SaveChangesAsync(cancellation);
        // Before answering: the destroyed key's bytes leave the table's file and the WAL, as after an erasure.
        await keys.PurgeWithdrawnAsync(cancellation);
        return new CompteRenduWithdrawnResponse(seanceId, number, purpose!, now, after);
    }

    /// <summary>A reason from the charter's closed list, and the séance's version as last read.</summary>
    public static ValidationErrors Check(WithdrawCompteRendu? command, CharterPolicy policy) => new ValidationErrors()
        .When(command is null || !policy.CompteRenduWithdrawalReasons.Has(command.Reason), "reason",
            "Le motif du retrait doit être choisi dans la liste de la charte.")
        .When(command?.ExpectedVersion is null, "expectedVersion", "La version attendue (expectedVersion) est obligatoire.");

    /// <summary>A version that exists and is not withdrawn yet.</summary>
    public static CompteRenduWithdrawn Decide(Seance seance, int number, string reason, Guid withdrawnBy, DateTimeOffset now)
    {
        var version = seance.CompteRendus.FirstOrDefault(v => v.Number == number)
                      ?? throw Problems.NotFound("Cette version du compte rendu n'existe pas.");
        if (version.Withdrawn) throw Problems.OutOfOrder("Cette version du compte rendu est déjà retirée.");
        return new CompteRenduWithdrawn(seance.Id, number, reason, withdrawnBy, now);
    }
}
