"""Quote stage: quotation marks, what counts as a quotation, and who said it."""

from __future__ import annotations

import pytest

from communique.stages.quotes import pair_marks

TITLE = "Le Togo et le Ghana renforcent leur coopération\n\n"


def _quotes(nlp_pipeline, body: str, title: str = TITLE):
    text = title + body
    rec = nlp_pipeline.extract(text, published="2025-03-04")
    for q in rec.quotes:
        assert text[q.start_char : q.end_char] == q.text
    return rec.quotes


@pytest.mark.parametrize(
    ("body", "text", "speaker", "kind"),
    [
        (
            "« Nous avons beaucoup travaillé ensemble », a déclaré Kodjo Mensah à Lomé.",
            "Nous avons beaucoup travaillé ensemble",
            "Kodjo Mensah",
            "person",
        ),
        (
            "Selon le communiqué conjoint, les deux pays veulent « bâtir un partenariat "
            "solide et durable ».",
            "bâtir un partenariat solide et durable",
            "le communiqué conjoint",
            "document",
        ),
        (
            "« La sécurité des frontières reste notre priorité », précise le communiqué.",
            "La sécurité des frontières reste notre priorité",
            "le communiqué",
            "document",
        ),
        (
            "Le ministre togolais a souligné : « Nos deux peuples sont frères depuis toujours. »",
            "Nos deux peuples sont frères depuis toujours.",
            "Le ministre togolais",
            "person",
        ),
        (
            "“La paix est notre priorité commune”, a indiqué le porte-parole Ama Boateng.",
            "La paix est notre priorité commune",
            "Ama Boateng",
            "person",
        ),
        (
            'Le président a reçu les élus. "Le dialogue reste ouvert avec tous", a-t-il ajouté.',
            "Le dialogue reste ouvert avec tous",
            "Le président",
            "person",
        ),
        (
            # no accents: the tagger reads 'declare' as a noun, the speaker is still found
            "A l'issue de l'entretien, le ministre Kofi Asante a declare que le Ghana "
            '" restera un partenaire fiable du Togo ".',
            "restera un partenaire fiable du Togo",
            "Kofi Asante",
            "person",
        ),
        (
            "Les deux parties ont souligné que « la stabilité régionale passe par le dialogue ».",
            "la stabilité régionale passe par le dialogue",
            "Les deux parties",
            "group",
        ),
        (
            # a name cue of the previous sentence ('l'année') does not name the quotation
            "Les ministres rouvriront la frontière avant la fin de l'année. « Nos peuples sont "
            "frères et voisins », a déclaré M. Kofi Asante.",
            "Nos peuples sont frères et voisins",
            "Kofi Asante",
            "person",
        ),
        (
            # a qualifying verb outweighs the meeting noun before the marks
            "À l'issue de l'entretien, M. Kofi Asante a qualifié la rencontre de « très "
            "fructueuse et prometteuse ».",
            "très fructueuse et prometteuse",
            "Kofi Asante",
            "person",
        ),
        (
            # the quotation continues the speaker's own sentence
            "Dans une déclaration commune, les deux parties « s'engagent à rouvrir la "
            "frontière avant la fin de l'année ».",
            "s'engagent à rouvrir la frontière avant la fin de l'année",
            "les deux parties",
            "group",
        ),
        (
            "Le ministère ghanéen des Affaires étrangères a indiqué que « les frontières "
            "resteront ouvertes aux commerçants ».",
            "les frontières resteront ouvertes aux commerçants",
            "Le ministère ghanéen des Affaires étrangères",
            "organisation",
        ),
    ],
)
def test_quote_and_speaker(nlp_pipeline, body: str, text: str, speaker: str, kind: str):
    quotes = _quotes(nlp_pipeline, body)
    assert [q.text for q in quotes] == [text]
    assert quotes[0].speaker == speaker
    assert quotes[0].speaker_kind == kind


@pytest.mark.parametrize(
    "body",
    [
        "Il a offert au président son livre « Les Chemins de la Paix ».",
        "Les deux armées ont lancé l'opération « Bouclier du Golfe ».",
        "Le forum s'est tenu sous le thème « Jeunesse, emploi et paix en Afrique de l'Ouest ».",
        "Les ministres ont évoqué le format « 3 + 3 » proposé par Accra.",
        "Ils ont visité le « corridor de Lomé ».",
        "Le chef de l'État a reçu le « Prix de la paix Kwame Nkrumah ».",
        # a name cue elided before the marks
        "La visite s'inscrit dans l'initiative « Une Afrique, un marché commun ».",
        "Voici le texte de la déclaration :\n\n« Nous, chefs d'État du Togo et du Ghana, "
        "réunis à Lomé, décidons de renforcer notre coopération.",
    ],
)
def test_not_a_quote(nlp_pipeline, body: str):
    assert _quotes(nlp_pipeline, body) == []


def test_quote_in_title_is_not_counted(nlp_pipeline):
    title = "« Nous sommes des frères », affirme le président togolais\n\n"
    body = "Le président togolais a reçu son homologue ghanéen à Lomé mardi."
    assert _quotes(nlp_pipeline, body, title=title) == []


@pytest.mark.parametrize(
    ("text", "inner"),
    [
        ("Il a dit « un deux trois » hier.", ["un deux trois "]),
        (
            "« Il cite le “plan Marshall” pour nous » dit-il.",
            [" Il cite le “plan Marshall” pour nous ", "plan Marshall"],
        ),
        ('Il a dit "ceci est "très" clair" enfin.', ['ceci est "très" clair', "très"]),
        ("« Cher collègue,\nMerci de votre accueil.", []),
        ("Le ministre évoque « la paix durable\nSuite.", ["la paix durable"]),
    ],
)
def test_pair_marks(text: str, inner: list[str]):
    got = sorted(text[p.inner_start : p.inner_end].strip() for p in pair_marks(text))
    assert got == sorted(i.strip() for i in inner)


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        # an inverted clause whose subject has a numeral
        (
            "« Nous resterons unis face aux menaces », ont déclaré les deux présidents.",
            "les deux présidents",
        ),
        # a reported clause: its subject is not the speaker; an unaccented reporting verb
        ("Le ministre a declare que la Turquie « restera un ami fidele du Niger ».", "Le ministre"),
        # 'a-t-il déclaré': the person named on the subject side of the sentence before
        (
            "Le ministre togolais, Kossi Agbo, s'est entretenu avec Amadou Sidibé. "
            "« Le dialogue reste notre seule voie », a-t-il déclaré.",
            "Kossi Agbo",
        ),
        # 'a-t-elle' passes over the man on the subject side for the woman the text marks
        (
            "Le ministre ghanéen, Kwame Mensah, a reçu mardi à Accra la ministre togolaise "
            "des Affaires étrangères, Aminata Touré. « Nos deux pays partagent bien plus "
            "qu'une frontière », a-t-elle souligné.",
            "Aminata Touré",
        ),
        (
            "M. Kwame Mensah s'est entretenu avec Mme Aminata Touré à Accra. « Nous "
            "voulons une frontière ouverte au commerce », a-t-elle déclaré.",
            "Aminata Touré",
        ),
        # ... and 'a-t-il' the man over a woman named on the subject side
        (
            "La présidente de la Commission, Aminata Touré, a reçu le ministre ghanéen "
            "Kwame Mensah. « Le Ghana tiendra ses engagements », a-t-il assuré.",
            "Kwame Mensah",
        ),
        # gender unknown from the text: the subject side, as before
        (
            "Aminata Touré a reçu Kwame Mensah à Accra. « Le dialogue reste notre seule "
            "voie », a-t-elle déclaré.",
            "Aminata Touré",
        ),
        # the one person of unknown gender rather than the one the text calls a man
        (
            "Le ministre togolais, Kossi Agbo, s'est entretenu avec Amadou Sidibé. "
            "« Le dialogue reste notre seule voie », a-t-elle déclaré.",
            "Amadou Sidibé",
        ),
        # nobody of that gender: still the person the pronoun would stand for
        (
            "M. Kossi Agbo s'est entretenu avec M. Amadou Sidibé. "
            "« Le dialogue reste notre seule voie », a-t-elle déclaré.",
            "Kossi Agbo",
        ),
        # a circumstance hung on the speaker's noun is not part of the speaker
        (
            "« Le dialogue reste notre seule voie », confie un diplomate sous couvert d'anonymat.",
            "un diplomate",
        ),
    ],
)
def test_more_speakers(nlp_pipeline, body: str, speaker: str):
    quotes = _quotes(nlp_pipeline, body)
    assert len(quotes) == 1
    assert quotes[0].speaker == speaker


def test_description_names_the_participant(nlp_pipeline):
    body = (
        "Le ministre malien des Affaires étrangères, Oumar Sidibé, a reçu en audience "
        "l'ambassadeur du Japon au Mali, M. Kenji Sato. À sa sortie, le diplomate japonais a "
        "indiqué que son pays « restera aux côtés du Mali dans tous les domaines »."
    )
    quotes = _quotes(nlp_pipeline, body)
    assert [q.speaker for q in quotes] == ["Kenji Sato"]


def test_quotation_over_several_paragraphs_is_one_quote(nlp_pipeline):
    body = (
        "Le ministre togolais Robert Dussey a reçu son homologue ghanéen à Lomé.\n\n"
        "« Le Togo et le Ghana partagent une frontière et des « familles communes ». "
        "Rien ne pourra nous séparer.\n\n"
        "« Nous ouvrirons ensemble une nouvelle page », a déclaré M. Dussey."
    )
    quotes = _quotes(nlp_pipeline, body)
    assert len(quotes) == 1
    assert quotes[0].text.startswith("Le Togo et le Ghana partagent")
    assert quotes[0].text.endswith("Nous ouvrirons ensemble une nouvelle page")
    assert quotes[0].speaker == "Robert Dussey"


def test_description_names_a_participant_without_title(nlp_pipeline):
    body = (
        "Kwame Mensah a reçu jeudi à Accra son homologue togolais Robert Dussey. "
        "Le chef de la diplomatie ghanéenne a souligné que « la paix dans la sous-région "
        "dépend de nos deux pays »."
    )
    quotes = _quotes(nlp_pipeline, body)
    assert [q.speaker for q in quotes] == ["Kwame Mensah"]


@pytest.mark.parametrize(
    ("body", "speaker"),
    [
        (
            # an organisation in the description picks its official; 'chef' is its head
            "Le président ghanéen Kwame Mensah a reçu à Accra le secrétaire général de l'ONU, "
            "Ali Benali, et la ministre togolaise Ama Kossi. Le chef de l'ONU a jugé que « la "
            "sous-région a besoin d'une force commune ».",
            "Ali Benali",
        ),
        (
            "Le président ghanéen Kwame Mensah a reçu à Accra le secrétaire général de l'OTAN, "
            "Jan Berg. « Le Ghana est un partenaire précieux », a affirmé le patron de l'OTAN.",
            "Jan Berg",
        ),
        (
            "La Première ministre togolaise, Ama Kossi, a reçu à Lomé le ministre ghanéen "
            "Kofi Boateng. La dirigeante togolaise a assuré que « les deux pays resteront "
            "unis ».",
            "Ama Kossi",
        ),
        # a noun for a part in the meeting, not an office: the one person of that side
        (
            "Le président togolais Koffi Agbeko a reçu à Lomé le ministre congolais des "
            "Affaires étrangères, Jean Mabiala, porteur d'un message de son homologue. "
            "L'émissaire congolais a salué « le rôle du Togo dans la médiation régionale ».",
            "Jean Mabiala",
        ),
        # 'selon elle / lui' stand for a person of that gender, as 'a-t-elle dit' does
        (
            "La ministre togolaise Ama Kossi a reçu lundi à Lomé le ministre ghanéen Kofi "
            "Asante. Selon elle, « le Togo tiendra toujours parole ».",
            "Ama Kossi",
        ),
        (
            "La ministre togolaise Ama Kossi a reçu lundi à Lomé le ministre ghanéen Kofi "
            "Asante. Selon lui, « le Ghana fera de même ».",
            "Kofi Asante",
        ),
        # without accents the participle after the mark may be tagged as a noun
        (
            "Le ministre nigerien Issa Moussa a recu a Niamey son homologue beninois Paul "
            'Houngbo. "Nous avons leve les malentendus", a declare le ministre beninois.',
            "Paul Houngbo",
        ),
        # 'le chef de la diplomatie' is the minister of foreign affairs, among ministers
        (
            "Le ministre malien des Affaires étrangères Oumar Keïta a reçu lundi à Bamako le "
            "ministre malien de la Défense Sadio Camara. « Le Mali est prêt », a déclaré le chef "
            "de la diplomatie malienne.",
            "Oumar Keïta",
        ),
        (
            "La ministre togolaise Ama Kossi a reçu lundi à Lomé le ministre ghanéen Kofi "
            "Asante. « Nos pays sont liés par l'histoire », a souligné la cheffe de la diplomatie "
            "togolaise.",
            "Ama Kossi",
        ),
        # 'selon X' after the closing mark names the speaker; 'a-t-on appris' names nobody
        (
            "La ministre togolaise Ama Kossi a reçu lundi à Lomé le ministre ghanéen Kofi "
            "Asante. « Nos pays sont liés par l'histoire », selon la ministre togolaise.",
            "Ama Kossi",
        ),
        (
            "La ministre togolaise Ama Kossi a reçu lundi à Lomé le ministre ghanéen Kofi "
            "Asante. « Nos pays sont liés par l'histoire », a-t-on appris de source sûre.",
            None,
        ),
        (
            "Le ministre togolais des Affaires étrangères, Koffi Adjo, a reçu lundi à Lomé son "
            "homologue béninois, Sèna Houngbo. Son homologue a salué « la qualité des relations "
            "entre les deux pays voisins ».",
            "Sèna Houngbo",
        ),
        # Two people introduced as counterparts: the description names nobody in particular.
        (
            "Le ministre a reçu son homologue béninois, Sèna Houngbo, puis son homologue "
            "nigérian, Tunde Bello. Son homologue a salué « la qualité des relations entre "
            "les pays de la sous-région ».",
            "Son homologue",
        ),
        # no participant of that organisation: the description stays as written
        (
            "Le président ghanéen Kwame Mensah a reçu à Accra la ministre togolaise Ama Kossi. "
            "Le chef de l'ONU a jugé que « la sous-région a besoin d'une force commune ».",
            "Le chef de l'ONU",
        ),
    ],
)
def test_speaker_from_description_or_pronoun(nlp_pipeline, body: str, speaker: str):
    quotes = _quotes(nlp_pipeline, body)
    assert [q.speaker for q in quotes] == [speaker]


@pytest.mark.parametrize(
    ("speaker_before", "host_word_speaker"),
    [
        ("M. Boateng", "Koffi Agbeko"),  # a guest's 'hôte' is the host ...
        ("M. Agbeko", "Kwame Boateng"),  # ... a host's 'hôte' the guest
    ],
)
def test_son_hote_is_across_from_the_last_named(nlp_pipeline, speaker_before, host_word_speaker):
    body = (
        "Le président togolais Koffi Agbeko a reçu lundi à Lomé le président ghanéen Kwame "
        f"Boateng. « Nos deux pays sont frères », a déclaré {speaker_before}. Son hôte a salué "
        "« une amitié sans faille »."
    )
    quotes = _quotes(nlp_pipeline, body)
    assert [q.speaker for q in quotes][-1] == host_word_speaker
