using CaseExchange.Charter;
using CaseExchange.Councils;
using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Web;
using CaseExchange.Retention;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Viewing;

public sealed class ArchiveReasonForm
{
    public string? Code { get; set; }

    /// <summary>NOMINATIVE, IN CLEAR: a written justification may name the person.</summary>
    public string? Detail { get; set; }
}

public sealed class OpenFileForm
{
    public string? Purpose { get; set; }

    /// <summary>Issued with the form, spent by its first post (<see cref="OpeningForms"/>).</summary>
    public Guid? Token { get; set; }

    public ArchiveReasonForm ArchiveReason { get; set; } = new();
}

/// <summary>
/// One situation, anonymised; for a member of the holding group, the form that opens the full file after stating a
/// purpose. The full file is the answer to that POST only: never in a URL, never cached, and the page says that the
/// consultation is recorded in the access journal.
/// </summary>
public sealed class SituationModel(SituationKeys keys, AccessJournal journal, VaultReader vault) : CouncilPageModel
{
    [BindProperty] public OpenFileForm Input { get; set; } = new();

    public AnonymisedSituation Situation { get; private set; } = null!;
    public string GroupName { get; private set; } = "";
    public string? ReferentName { get; private set; }

    /// <summary>Only members of the holding group are offered the form; the use case decides, and journals, anyway.</summary>
    public bool InHoldingGroup { get; private set; }

    /// <summary>Animateur of the holding group or coordonnateur, under the charter: offered the group-level acts (closure, transfer).</summary>
    public bool CanLead { get; private set; }

    /// <summary>The coordonnateur, under the charter: offered the rectification of an identity (RGPD, art. 16).</summary>
    public bool CanCorrect { get; private set; }

    /// <summary>Those who may refer in the holding group: offered to add a person or a dated fact.</summary>
    public bool CanAdd { get; private set; }

    /// <summary>NOMINATIVE, IN CLEAR: set only in the response to an accepted opening.</summary>
    public NominativeSituationFile? NominativeFile { get; private set; }

    public string JournalNotice => CaseExchange.Journal.JournalNotice.Text;

    /// <summary>This post re-sent a form already used (a refresh of the full file): nothing was opened or journalled again.</summary>
    public bool AlreadyOpened { get; private set; }

    /// <summary>When the nominative data must be erased under the retention rule, if that date is known yet.</summary>
    public ErasureDue? PlannedErasure { get; private set; }

    /// <summary>The purposes offered: those of the charter for an open situation; for a closed one, those that still apply to an archive.</summary>
    public IEnumerable<ListEntry> PurposesOffered => Situation.ClosedAt is null
        ? Policy.AccessPurposes
        : Policy.AccessPurposes.Where(p => !SeancePurposes.Contains(p.Code));

    /// <summary>A closed situation is no longer prepared for or examined in a séance.</summary>
    private static readonly string[] SeancePurposes = ["preparation-seance", "examen-en-seance"];

    public async Task OnGetAsync(Guid situationId)
    {
        await LoadAsync(situationId);
        Input.Token = OpeningForms.Issue();
    }

    public async Task<IActionResult> OnPostAsync(Guid situationId)
    {
        // The use case decides, and journals, first: a forged form from someone who may not even see the anonymised
        // row is refused and journalled like any attempt. A closed situation's form asks for the archive reason.
        var closed = (await Session.LoadAsync<Situation>(situationId))?.ClosedAt is not null;
        var archive = closed ? new ArchiveAccessReason(Input.ArchiveReason.Code, Input.ArchiveReason.Detail) : null;
        if (Input.Token is { } token && !await OpeningForms.TryConsumeAsync(HttpContext.RequestServices.GetRequiredService<IDocumentStore>(),
                Council, token, situationId, Actor.Id, Clock.GetUtcNow(), HttpContext.RequestAborted))
        {
            // A replayed form (refresh): the file stays closed, the journal untouched; a fresh form asks again.
            AlreadyOpened = true;
            await LoadAsync(situationId);
            return Page();
        }
        return await SubmitAsync(
            async () =>
            {
                var file = await OpenFileUseCase.HandleAsync(CouncilRequest, situationId, new OpenFile(Input.Purpose, archive), keys, journal, vault);
                await LoadAsync(situationId);
                return file;
            },
            file =>
            {
                NominativeFile = file;
                Situation = file.Summary;
                // The full file holds the birth dates: the exact date, the age limit included.
                PlannedErasure = RetentionDates.Due(file.Summary.ClosedAt,
                    RetentionDates.AgeLimitReached(file.Persons.Select(p => (p.Role, p.Identity.DateNaissance)), file.Summary.ReferredAt, Policy.Retention),
                    Policy.Retention);
                return Page();
            },
            () => LoadAsync(situationId));
    }

    private async Task LoadAsync(Guid situationId)
    {
        // Any form shown again (refused, replayed) carries a fresh token.
        ModelState.Remove("Input.Token");
        Input.Token = OpeningForms.Issue();
        Situation = await ViewSituationUseCase.HandleAsync(CouncilRequest, situationId);
        PlannedErasure = Situation.ClosedAt is { } closed ? RetentionDates.Due(closed, null, Policy.Retention) : null;
        var group = await Session.LoadAsync<Group>(Situation.GroupId);
        GroupName = group?.Name ?? "groupe inconnu";
        CanLead = AccessRules.ActInGroup(Policy, Actor.Member, Actor.Council, group, Capabilities.LeadSituations).Allowed;
        CanCorrect = AccessRules.CorrectIdentity(Policy, Actor.Member, Actor.Council).Allowed;
        CanAdd = AccessRules.AddToSituation(Policy, Actor.Member, Actor.Council, group).Allowed;
        InHoldingGroup = group?.RoleOf(Actor.Id) is { } role && Policy.RoleHas(role, Capabilities.OpenNominativeFiles);
        if (Situation.ReferentId is { } referent)
            ReferentName = (await Session.LoadAsync<Member>(referent)) is { } m ? $"{m.DisplayName} ({m.Organisation})" : null;
    }
}
