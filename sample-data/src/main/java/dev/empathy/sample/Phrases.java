package dev.empathy.sample;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The utterances of generated conversations, per language. Customer lines come in three tones
 * (hostile, neutral, cooperative) chosen from the planted sentiment; agent lines are plain,
 * empathetic (documented empathy) or scripted ("performative" stock phrases).
 */
final class Phrases {

    enum Tone { HOSTILE, NEUTRAL, COOPERATIVE }

    private record Bank(List<String> hostile, List<String> neutral, List<String> cooperative,
                        List<String> agentPlain, List<String> agentEmpathy, List<String> agentScripted) {
    }

    private static final Map<String, Bank> BANKS = Map.of(
            "en", new Bank(
                    List.of("This is the third time I am calling about this and nobody fixes it.",
                            "I am really fed up, your service is a joke.",
                            "Why does it take you so long? This is unacceptable.",
                            "I want this sorted now or I am leaving."),
                    List.of("I have a question about my last bill.",
                            "The app shows an error when I log in.",
                            "Can you check the status of my order?",
                            "I would like to change my plan."),
                    List.of("Thanks, that helps a lot.",
                            "Great, that works now. I appreciate it.",
                            "Perfect, thank you for sorting this out.",
                            "Okay, that makes sense, thanks for explaining."),
                    List.of("Let me look into that for you.",
                            "Could you confirm the account number, please?",
                            "I have updated the record; it should work now.",
                            "Is there anything else I can help with?"),
                    List.of("I am so sorry this has been such a hassle for you.",
                            "I completely understand how frustrating that must be.",
                            "That sounds really stressful, let us fix it together."),
                    List.of("We value you as a customer and apologise for any inconvenience.",
                            "Your satisfaction is our top priority.")),
            "de", new Bank(
                    List.of("Ich rufe jetzt zum dritten Mal an und niemand hilft mir.",
                            "Ich habe wirklich genug von Ihrem Service.",
                            "Warum dauert das so lange? Das ist inakzeptabel.",
                            "Wenn das nicht sofort gelöst wird, kündige ich."),
                    List.of("Ich habe eine Frage zu meiner letzten Rechnung.",
                            "Die App zeigt beim Anmelden einen Fehler.",
                            "Können Sie den Status meiner Bestellung prüfen?",
                            "Ich möchte meinen Tarif ändern."),
                    List.of("Danke, das hilft mir sehr.",
                            "Super, jetzt funktioniert es. Vielen Dank.",
                            "Perfekt, danke für die schnelle Lösung.",
                            "Alles klar, danke für die Erklärung."),
                    List.of("Ich schaue mir das gleich an.",
                            "Können Sie mir bitte die Kundennummer bestätigen?",
                            "Ich habe den Eintrag aktualisiert.",
                            "Kann ich sonst noch etwas für Sie tun?"),
                    List.of("Es tut mir wirklich leid, dass Sie so viel Ärger hatten.",
                            "Ich kann gut verstehen, wie frustrierend das ist.",
                            "Das klingt sehr belastend, wir lösen das gemeinsam."),
                    List.of("Wir schätzen Sie als Kunden und entschuldigen uns für die Unannehmlichkeiten.",
                            "Ihre Zufriedenheit hat für uns höchste Priorität.")),
            "fr", new Bank(
                    List.of("C'est la troisième fois que j'appelle et rien n'est réglé.",
                            "J'en ai vraiment assez de votre service.",
                            "Pourquoi est-ce si long ? C'est inacceptable.",
                            "Si ce n'est pas réglé maintenant, je résilie."),
                    List.of("J'ai une question sur ma dernière facture.",
                            "L'application affiche une erreur à la connexion.",
                            "Pouvez-vous vérifier l'état de ma commande ?",
                            "Je voudrais changer d'abonnement."),
                    List.of("Merci, cela m'aide beaucoup.",
                            "Super, ça marche maintenant. Merci.",
                            "Parfait, merci d'avoir réglé le problème.",
                            "D'accord, merci pour l'explication."),
                    List.of("Je regarde cela pour vous.",
                            "Pouvez-vous confirmer votre numéro de client ?",
                            "J'ai mis à jour votre dossier.",
                            "Puis-je vous aider pour autre chose ?"),
                    List.of("Je suis vraiment désolé pour tous ces désagréments.",
                            "Je comprends tout à fait à quel point c'est frustrant.",
                            "Cela semble très stressant, réglons-le ensemble."),
                    List.of("Nous vous remercions de votre fidélité et nous excusons pour la gêne occasionnée.",
                            "Votre satisfaction est notre priorité absolue.")),
            "es", new Bank(
                    List.of("Es la tercera vez que llamo y nadie lo soluciona.",
                            "Estoy harto de su servicio.",
                            "¿Por qué tarda tanto? Es inaceptable.",
                            "Si no lo arreglan ahora, me doy de baja."),
                    List.of("Tengo una pregunta sobre mi última factura.",
                            "La aplicación da un error al iniciar sesión.",
                            "¿Pueden revisar el estado de mi pedido?",
                            "Quiero cambiar mi plan."),
                    List.of("Gracias, eso me ayuda mucho.",
                            "Genial, ya funciona. Se lo agradezco.",
                            "Perfecto, gracias por resolverlo.",
                            "Vale, tiene sentido, gracias por explicarlo."),
                    List.of("Déjeme revisarlo.",
                            "¿Puede confirmar su número de cliente?",
                            "He actualizado el registro.",
                            "¿Puedo ayudarle en algo más?"),
                    List.of("Siento mucho todas las molestias que ha tenido.",
                            "Entiendo perfectamente lo frustrante que es.",
                            "Suena muy estresante, vamos a solucionarlo juntos."),
                    List.of("Valoramos su confianza y lamentamos las molestias.",
                            "Su satisfacción es nuestra máxima prioridad.")),
            "pt", new Bank(
                    List.of("É a terceira vez que ligo e ninguém resolve.",
                            "Estou cansado do atendimento de vocês.",
                            "Por que demora tanto? Isso é inaceitável.",
                            "Se não resolverem agora, vou cancelar."),
                    List.of("Tenho uma dúvida sobre a minha última fatura.",
                            "O aplicativo mostra um erro ao entrar.",
                            "Podem verificar o status do meu pedido?",
                            "Quero mudar o meu plano."),
                    List.of("Obrigado, isso ajuda muito.",
                            "Ótimo, agora funciona. Agradeço.",
                            "Perfeito, obrigado por resolver.",
                            "Certo, obrigado pela explicação."),
                    List.of("Vou verificar isso para você.",
                            "Pode confirmar o número do cliente?",
                            "Atualizei o seu cadastro.",
                            "Posso ajudar em mais alguma coisa?"),
                    List.of("Sinto muito por todo esse transtorno.",
                            "Entendo perfeitamente como isso é frustrante.",
                            "Parece muito estressante, vamos resolver juntos."),
                    List.of("Valorizamos você como cliente e pedimos desculpas pelo transtorno.",
                            "A sua satisfação é a nossa prioridade.")),
            "ja", new Bank(
                    List.of("もう三回目の問い合わせですが、まだ解決していません。",
                            "本当にうんざりしています。",
                            "なぜこんなに時間がかかるのですか。納得できません。",
                            "今すぐ解決しないなら解約します。"),
                    List.of("先月の請求について質問があります。",
                            "ログインするとアプリでエラーが出ます。",
                            "注文の状況を確認してもらえますか。",
                            "プランを変更したいです。"),
                    List.of("ありがとうございます、助かりました。",
                            "直りました。本当にありがとうございます。",
                            "完璧です、対応ありがとうございます。",
                            "分かりました、説明ありがとうございます。"),
                    List.of("確認いたします。",
                            "お客様番号をご確認いただけますか。",
                            "登録情報を更新しました。",
                            "他にお手伝いできることはございますか。"),
                    List.of("ご迷惑をおかけして本当に申し訳ございません。",
                            "ご不便な思いをされたこと、よく分かります。",
                            "大変でしたね。一緒に解決いたしましょう。"),
                    List.of("いつもご利用いただきありがとうございます。ご不便をおかけしております。",
                            "お客様の満足が私どもの最優先事項です。")));

    private Phrases() {
    }

    /** The phrase bank of a BCP-47 tag (its primary language), English when unknown. */
    private static Bank bank(String languageTag) {
        String primary = languageTag.split("-", 2)[0];
        return BANKS.getOrDefault(primary, BANKS.get("en"));
    }

    static String customer(String language, Tone tone, SplittableRandom random) {
        Bank b = bank(language);
        List<String> lines = switch (tone) {
            case HOSTILE -> b.hostile();
            case NEUTRAL -> b.neutral();
            case COOPERATIVE -> b.cooperative();
        };
        return pick(lines, random);
    }

    static String agentPlain(String language, SplittableRandom random) {
        return pick(bank(language).agentPlain(), random);
    }

    static String agentEmpathy(String language, SplittableRandom random) {
        return pick(bank(language).agentEmpathy(), random);
    }

    static String agentScripted(String language, SplittableRandom random) {
        return pick(bank(language).agentScripted(), random);
    }

    private static String pick(List<String> lines, SplittableRandom random) {
        return lines.get(random.nextInt(lines.size()));
    }
}
