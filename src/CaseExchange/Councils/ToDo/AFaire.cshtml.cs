using CaseExchange.Web;

namespace CaseExchange.Councils.ToDo;

/// <summary>The coordonnateur's (or an animateur's) "à faire": each line links to the page that settles it.</summary>
public sealed class AFaireModel : CouncilPageModel
{
    public ToDoList List { get; private set; } = null!;

    public async Task OnGetAsync() => List = await ToDoUseCase.HandleAsync(CouncilRequest);

    /// <summary>The sections, in the order of the page: title, what settles the line, the message when there is none.</summary>
    public static readonly IReadOnlyList<(string Kind, string Title, string Settle, string None)> Sections =
    [
        (ToDoKinds.NextSeance, "Prochaines séances", "Préparer la séance", "Aucune séance à venir n'est programmée."),
        (ToDoKinds.NotExamined, "Situations pas encore examinées", "Voir la situation", "Toutes les situations ouvertes ont été examinées."),
        (ToDoKinds.OverdueAction, "Actions en retard", "Voir les actions", "Aucune action n'a dépassé son échéance."),
        (ToDoKinds.AgendaNotPublished, "Séances sans ordre du jour publié", "Publier l'ordre du jour", "Toutes les séances ouvertes ont leur ordre du jour publié."),
        (ToDoKinds.NoCompteRendu, "Séances closes sans compte rendu", "Établir le compte rendu", "Toutes les séances closes ont leur compte rendu."),
        (ToDoKinds.AccessRequest, "Demandes de droit d'accès à traiter", "Répondre ou prolonger", "Aucune demande de droit d'accès en attente de réponse."),
        (ToDoKinds.PendingNotice, "Personnes concernées à informer", "Informer ou différer", "Toutes les personnes concernées ont été informées, ou leur information différée."),
        (ToDoKinds.Inactive, "Situations inactives depuis un an", "Proposer la clôture", "Aucune situation ouverte n'est inactive depuis un an."),
        (ToDoKinds.ErasureDue, "Effacements dans les 30 jours", "Voir la situation", "Aucun effacement n'est prévu dans les 30 jours."),
        (ToDoKinds.CharterNotSigned, "Membres n'ayant pas signé la charte en vigueur", "Voir les membres", "Tous les membres ont signé la charte en vigueur."),
    ];
}
