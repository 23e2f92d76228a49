using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Situations;

namespace CaseExchange.Journal.Replay;

/// <summary>What an auditor should make of a replayed entry.</summary>
public static class ReplayVerdicts
{
    /// <summary>Granted to someone entitled at that instant, or rightly refused.</summary>
    public const string Legitimate = "legitime";

    /// <summary>Granted although the rules, replayed at that instant, refuse it (e.g. a bug, or an access after a removal).</summary>
    public const string Flagged = "signale";

    /// <summary>Refused although the person was entitled (a technical failure, a missing reason): worth knowing, not a breach.</summary>
    public const string Informative = "a-noter";

    public static string Label(string verdict) => verdict switch
    {
        Legitimate => "Conforme",
        Flagged => "À examiner : accès non conforme",
        Informative => "Refus à noter",
        _ => verdict,
    };
}

/// <summary>Why an entry is flagged or noted: stable codes.</summary>
public static class ReplayReasons
{
    public const string GrantedWithoutEntitlement = "accorde-sans-droit";
    public const string ArchiveOpenedWithoutReason = "archive-sans-motif";
    public const string GrantedWithoutPurpose = "motif-absent";
    public const string SubjectMismatch = "identite-incoherente";
    public const string UnknownSituation = "situation-inconnue";
    public const string RefusedThoughEntitled = "refus-malgre-droit";
    public const string TechnicalFailure = "echec-technique";

    public static string Explain(string reason) => reason switch
    {
        GrantedWithoutEntitlement => "Accès accordé alors que les règles de la charte, rejouées à cet instant, le refusent.",
        ArchiveOpenedWithoutReason => "Dossier archivé ouvert sans motif écrit.",
        GrantedWithoutPurpose => "Accès accordé sans motif de consultation choisi dans la liste de la charte.",
        SubjectMismatch => "L'identifiant de connexion enregistré ne correspond pas au membre désigné.",
        UnknownSituation => "La situation n'existait pas dans ce conseil à cet instant.",
        RefusedThoughEntitled => "Accès refusé alors que la personne y avait droit à cet instant.",
        TechnicalFailure => "Accès refusé pour une raison technique alors que la personne y avait droit.",
        _ => reason,
    };
}

/// <summary>
/// The replayed judgement of one entry: whether the accessor was entitled at the entry's instant (and if not, the
/// charter's refusal code), and the verdict with its reasons.
/// </summary>
public sealed record ReplayVerdict(string Verdict, bool Entitled, string? EntitlementRefusal, IReadOnlyList<string> Reasons);

/// <summary>The states the access rules need, rebuilt at one instant.</summary>
public sealed record StateAtInstant(Member? Member, Council? Council, Group? HoldingGroup, Situation? Situation);

/// <summary>Re-judges a journal entry with the same pure access rules that decided it live. No database, no clock.</summary>
public static class ReplayJudgement
{
    public static ReplayVerdict Judge(CharterPolicy policy, AccessJournalled entry, StateAtInstant state)
    {
        var reasons = new List<string>();
        bool entitled;
        string? refusal;
        if (state.Situation is null && state.Council is not null && entry.SituationId == JournalChains.CouncilSituationId
            && (!entry.Granted || entry.Action is JournalActions.CompteRenduWithdrawal or JournalActions.DuplicateCheck or JournalActions.IdentitySearch))
        {
            // The council's chain: refusals that named no situation, and CR withdrawals (granted or refused), judged by
            // the council-level rule of their action.
            var verdict = entry.Action switch
            {
                JournalActions.RightOfAccessExport => AccessRules.AnswerAccessRequest(policy, state.Member, state.Council),
                JournalActions.ErasureOrder => AccessRules.OrderErasure(policy, state.Member, state.Council),
                JournalActions.CompteRenduWithdrawal => AccessRules.WithdrawCompteRendu(policy, state.Member, state.Council),
                JournalActions.DuplicateCheck => AccessRules.CheckDuplicates(policy, state.Member, state.Council),
                JournalActions.IdentitySearch => AccessRules.SearchByIdentity(policy, state.Member, state.Council),
                _ => AccessVerdict.Refused(Refusals.RoleNotAllowed),
            };
            entitled = verdict.Allowed;
            refusal = verdict.Refusal;
            if (entry.Granted)
            {
                if (!entitled) reasons.Add(ReplayReasons.GrantedWithoutEntitlement);
                if (!JournalActions.PurposesFor(entry.Action, policy).Has(entry.Purpose)) reasons.Add(ReplayReasons.GrantedWithoutPurpose);
                if (state.Member is { } member && member.Subject != entry.Subject) reasons.Add(ReplayReasons.SubjectMismatch);
            }
            else if (entitled && !IsRequestRefusal(entry.Refusal)) reasons.Add(ReplayReasons.RefusedThoughEntitled);
        }
        else if (state.Situation is null || state.Council is null)
        {
            entitled = false;
            refusal = null;
            if (entry.Granted) reasons.Add(ReplayReasons.UnknownSituation);
        }
        else
        {
            var reasonGiven = entry.ArchiveReasonCode is not null && entry.ArchiveReasonDetail is not null;
            // Each action is re-judged by the rule that decided it live.
            var verdict = entry.Action switch
            {
                JournalActions.RightOfAccessExport => AccessRules.AnswerAccessRequest(policy, state.Member, state.Council),
                JournalActions.ErasureOrder => AccessRules.OrderErasure(policy, state.Member, state.Council),
                // A guard refusal is a refusal of the text, whoever typed it: nothing to re-judge.
                JournalActions.IdentifyingTextRefused => AccessVerdict.Refused(Refusals.IdentifyingText),
                // A check decrypts in memory and returns nothing; the request that caused it is judged on its own.
                JournalActions.ServerCheck => AccessVerdict.Granted,
                // A search result names the situation without opening it: the holding group's rule, no archive reason.
                JournalActions.IdentitySearch => AccessRules.SearchInHoldingGroup(policy, state.Member, state.Council, state.HoldingGroup),
                _ => AccessRules.OpenNominativeFile(policy, state.Member, state.Council, state.HoldingGroup, state.Situation, reasonGiven),
            };
            var opening = entry.Action is JournalActions.FileOpening or JournalActions.ArchiveOpening;
            entitled = verdict.Allowed;
            refusal = verdict.Refusal;
            if (entry.Granted)
            {
                if (!entitled) reasons.Add(ReplayReasons.GrantedWithoutEntitlement);
                if (opening && (entry.Action == JournalActions.ArchiveOpening || state.Situation.IsClosed) && !reasonGiven)
                    reasons.Add(ReplayReasons.ArchiveOpenedWithoutReason);
                if (!JournalActions.PurposesFor(entry.Action, policy).Has(entry.Purpose)) reasons.Add(ReplayReasons.GrantedWithoutPurpose);
                if (state.Member is { } member && member.Subject != entry.Subject) reasons.Add(ReplayReasons.SubjectMismatch);
            }
            else if (entitled && !IsRequestRefusal(entry.Refusal))
            {
                reasons.Add(entry.Refusal == JournalFailures.KeyUnavailable ? ReplayReasons.TechnicalFailure : ReplayReasons.RefusedThoughEntitled);
            }
        }

        var outcome = entry.Granted
            ? reasons.Count == 0 ? ReplayVerdicts.Legitimate : ReplayVerdicts.Flagged
            : reasons.Count == 0 ? ReplayVerdicts.Legitimate : ReplayVerdicts.Informative;
        return new ReplayVerdict(outcome, entitled, refusal, reasons);
    }

    /// <summary>A refusal of the request itself (incomplete, unknown situation), right even for an entitled caller.</summary>
    private static bool IsRequestRefusal(string? refusal) => refusal is Refusals.InvalidRequest or Refusals.UnknownSituation;
}
