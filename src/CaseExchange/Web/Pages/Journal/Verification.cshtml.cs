using CaseExchange.Journal.Browsing;
using CaseExchange.Journal.Checkpoints;
using CaseExchange.Journal.Verification;

namespace CaseExchange.Web.Pages.Journal;

/// <summary>
/// Runs the verification of the council's whole journal (after sealing the chains that moved), as the API does, and says
/// in French whether it is intact or which link is the first broken one.
/// </summary>
public sealed class VerificationModel(JournalSealer sealer, JournalVerifier verifier, JournalCheckpointKey key, ILogger<JournalVerifier> logger)
    : CouncilPageModel
{
    public VerificationView? Result { get; private set; }

    public Task OnGetAsync() => BrowseJournalEndpoints.RequireAuditorAsync(User, Session, Policy);

    public async Task OnPostAsync() =>
        Result = await VerifyJournalEndpoint.Post(Council, User, Session, Policy, sealer, verifier, key, logger, HttpContext.RequestAborted);
}
