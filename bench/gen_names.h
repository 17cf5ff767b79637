/* Tables the traffic generator draws from: names by culture (as an MRZ
 * would spell them and in their own script), airports, ports, carriers
 * and vessels. Invented combinations; no real person is meant. */
#ifndef PW_BENCH_GEN_NAMES_H
#define PW_BENCH_GEN_NAMES_H

/* A name as the Latin MRZ transliteration (ICAO 9303 Part 3) and, when
 * it differs, as written in its own script or with its diacritics. */
typedef struct gen_name {
    const char *ascii;
    const char *native;
} gen_name;

typedef struct gen_culture {
    const char *const *countries; /* ISO 3166 alpha-3 */
    unsigned n_countries;
    const gen_name *surnames;
    unsigned n_surnames;
    const gen_name *male;
    unsigned n_male;
    const gen_name *female;
    unsigned n_female;
    unsigned weight;       /* relative share of travellers */
    unsigned single_name;  /* permille sent with no given name */
    unsigned two_surnames; /* permille with a second family name */
    unsigned middle;       /* permille with a middle name */
    unsigned crew_weight;  /* relative share of ship crews */
} gen_culture;

#define GEN_N(a) ((unsigned)(sizeof(a) / sizeof((a)[0])))

static const char *const gen_c_en[] = {"GBR", "USA", "AUS", "CAN",
                                       "IRL", "NZL", "ZAF"};
static const gen_name gen_s_en[] = {
    {"SMITH", 0},      {"JOHNSON", 0},     {"WILLIAMS", 0}, {"BROWN", 0},
    {"JONES", 0},      {"TAYLOR", 0},      {"WILSON", 0},   {"DAVIES", 0},
    {"O'BRIEN", 0},    {"MACDONALD", 0},   {"MURPHY", 0},   {"CLARKE", 0},
    {"THOMPSON", 0},   {"WALKER", 0},      {"HUGHES", 0},   {"O'NEILL", 0},
    {"FITZGERALD", 0}, {"BAKER-JONES", 0}, {"EVANS", 0},    {"KELLY", 0}};
static const gen_name gen_m_en[] = {
    {"JOHN", 0},        {"JAMES", 0},  {"ROBERT", 0}, {"MICHAEL", 0},
    {"WILLIAM", 0},     {"DAVID", 0},  {"THOMAS", 0}, {"DANIEL", 0},
    {"CHRISTOPHER", 0}, {"OLIVER", 0}, {"JACK", 0},   {"SEAN", 0}};
static const gen_name gen_f_en[] = {
    {"MARY", 0},     {"ELIZABETH", 0}, {"SARAH", 0},  {"EMMA", 0},
    {"OLIVIA", 0},   {"JENNIFER", 0},  {"CHLOE", 0},  {"SIOBHAN", 0},
    {"MARGARET", 0}, {"JESSICA", 0},   {"AMELIA", 0}, {"GRACE", 0}};

static const char *const gen_c_es[] = {"ESP", "MEX", "COL", "ARG",
                                       "CHL", "PER", "VEN", "CUB"};
static const gen_name gen_s_es[] = {
    {"GARCIA", "GARCÍA"},       {"MARTINEZ", "MARTÍNEZ"},
    {"LOPEZ", "LÓPEZ"},         {"GONZALEZ", "GONZÁLEZ"},
    {"RODRIGUEZ", "RODRÍGUEZ"}, {"FERNANDEZ", "FERNÁNDEZ"},
    {"PEREZ", "PÉREZ"},         {"SANCHEZ", "SÁNCHEZ"},
    {"RAMIREZ", "RAMÍREZ"},     {"TORRES", 0},
    {"DE LA CRUZ", 0},          {"NUNEZ", "NÚÑEZ"},
    {"IBANEZ", "IBÁÑEZ"},       {"DEL CASTILLO", 0},
    {"MUNOZ", "MUÑOZ"},         {"JIMENEZ", "JIMÉNEZ"}};
static const gen_name gen_m_es[] = {
    {"JOSE", "JOSÉ"},   {"JUAN", 0},          {"CARLOS", 0},
    {"LUIS", 0},        {"JAVIER", 0},        {"MIGUEL ANGEL", "MIGUEL ÁNGEL"},
    {"JESUS", "JESÚS"}, {"ALEJANDRO", 0},     {"RAMON", "RAMÓN"},
    {"SERGIO", 0},      {"ANDRES", "ANDRÉS"}, {"PABLO", 0}};
static const gen_name gen_f_es[] = {
    {"MARIA", "MARÍA"},           {"CARMEN", 0},      {"ANA", 0},
    {"LUCIA", "LUCÍA"},           {"SOFIA", "SOFÍA"}, {"ISABEL", 0},
    {"MARIA JOSE", "MARÍA JOSÉ"}, {"PILAR", 0},       {"BEATRIZ", 0},
    {"ROCIO", "ROCÍO"},           {"INES", "INÉS"},   {"GUADALUPE", 0}};

static const char *const gen_c_pt[] = {"PRT", "BRA", "AGO", "MOZ", "CPV"};
static const gen_name gen_s_pt[] = {{"SILVA", 0},
                                    {"SANTOS", 0},
                                    {"DOS SANTOS", 0},
                                    {"DA SILVA", 0},
                                    {"OLIVEIRA", 0},
                                    {"PEREIRA", 0},
                                    {"FERREIRA", 0},
                                    {"COSTA", 0},
                                    {"CONCEICAO", "CONCEIÇÃO"},
                                    {"GONCALVES", "GONÇALVES"},
                                    {"RIBEIRO", 0},
                                    {"DE SOUSA", 0},
                                    {"ARAUJO", "ARAÚJO"},
                                    {"MAGALHAES", "MAGALHÃES"}};
static const gen_name gen_m_pt[] = {
    {"JOAO", "JOÃO"},       {"ANTONIO", "ANTÓNIO"}, {"PEDRO", 0},
    {"LUIS", "LUÍS"},       {"PAULO", 0},           {"FRANCISCO", 0},
    {"GONCALO", "GONÇALO"}, {"THIAGO", 0},          {"RUI", 0}};
static const gen_name gen_f_pt[] = {
    {"MARIA", 0},     {"ANA", 0},
    {"BEATRIZ", 0},   {"CONCEICAO", "CONCEIÇÃO"},
    {"FERNANDA", 0},  {"LETICIA", "LETÍCIA"},
    {"INES", "INÊS"}, {"JULIANA", 0}};

static const char *const gen_c_fr[] = {"FRA", "BEL", "CHE", "SEN",
                                       "CIV", "CMR", "HTI"};
static const gen_name gen_s_fr[] = {{"MARTIN", 0},
                                    {"BERNARD", 0},
                                    {"DUBOIS", 0},
                                    {"LEFEVRE", "LEFÈVRE"},
                                    {"GIRARD", 0},
                                    {"ROUSSEAU", 0},
                                    {"FRANCOIS", "FRANÇOIS"},
                                    {"D'ARTOIS", 0},
                                    {"LE GOFF", 0},
                                    {"BENOIT", "BENOÎT"},
                                    {"FAURE", 0},
                                    {"DIALLO", 0},
                                    {"NDIAYE", 0}};
static const gen_name gen_m_fr[] = {
    {"JEAN", 0},          {"PIERRE", 0},  {"FRANCOIS", "FRANÇOIS"},
    {"JEROME", "JÉRÔME"}, {"LUC", 0},     {"ETIENNE", "ÉTIENNE"},
    {"JEAN-BAPTISTE", 0}, {"MAMADOU", 0}, {"THEO", "THÉO"}};
static const gen_name gen_f_fr[] = {{"MARIE", 0},         {"CELINE", "CÉLINE"},
                                    {"HELENE", "HÉLÈNE"}, {"CHLOE", "CHLOÉ"},
                                    {"ANNE-SOPHIE", 0},   {"AMELIE", "AMÉLIE"},
                                    {"FATOU", 0},         {"CAMILLE", 0}};

static const char *const gen_c_de[] = {"DEU", "AUT", "CHE"};
static const gen_name gen_s_de[] = {
    {"MUELLER", "MÜLLER"}, {"SCHMIDT", 0},        {"SCHNEIDER", 0},
    {"FISCHER", 0},        {"WEBER", 0},          {"SCHROEDER", "SCHRÖDER"},
    {"BAUER", 0},          {"KOEHLER", "KÖHLER"}, {"GROSS", "GROß"},
    {"VON DER HEYDE", 0},  {"HOFFMANN", 0},       {"JAEGER", "JÄGER"}};
static const gen_name gen_m_de[] = {
    {"HANS", 0},     {"JUERGEN", "JÜRGEN"}, {"KLAUS", 0},      {"STEFAN", 0},
    {"MATTHIAS", 0}, {"LUKAS", 0},          {"JOERG", "JÖRG"}, {"FRANZ", 0}};
static const gen_name gen_f_de[] = {
    {"ANNA", 0},           {"URSULA", 0}, {"SABINE", 0},   {"JUTTA", 0},
    {"BAERBEL", "BÄRBEL"}, {"LENA", 0},   {"KATHARINA", 0}};

static const char *const gen_c_ar[] = {"SAU", "EGY", "JOR", "ARE", "IRQ", "SYR",
                                       "MAR", "DZA", "LBN", "QAT", "YEM", "SDN",
                                       "TUN", "KWT", "OMN", "LBY"};
static const gen_name gen_s_ar[] = {
    {"AL HASHIMI", 0}, {"AL-FARSI", 0},  {"ALZAHRANI", 0},    {"EL SAYED", 0},
    {"EL-MASRY", 0},   {"BIN SALEH", 0}, {"BIN ABDULLAH", 0}, {"ABDEL AZIZ", 0},
    {"HADDAD", 0},     {"MANSOUR", 0},   {"KHALIL", 0},       {"AL QURASHI", 0},
    {"BENALI", 0},     {"ABU ZAID", 0},  {"AL-AMIN", 0},      {"NASSER", 0},
    {"EL IDRISSI", 0}, {"ALSABAH", 0}};
static const gen_name gen_m_ar[] = {
    {"MOHAMMED", 0},   {"MUHAMMAD", 0}, {"MOHAMAD", 0},      {"MOHAMED", 0},
    {"AHMED", 0},      {"AHMAD", 0},    {"ABDUL RAHMAN", 0}, {"ABDULLAH", 0},
    {"ABDELKADER", 0}, {"YOUSSEF", 0},  {"YUSUF", 0},        {"OMAR", 0},
    {"KHALED", 0},     {"HUSSEIN", 0},  {"IBRAHIM", 0}};
static const gen_name gen_f_ar[] = {
    {"FATIMA", 0},  {"FATMA", 0}, {"AISHA", 0}, {"AICHA", 0},
    {"MARYAM", 0},  {"NOUR", 0},  {"LAYLA", 0}, {"ZAINAB", 0},
    {"KHADIJA", 0}, {"HANAN", 0}, {"SALMA", 0}};

static const char *const gen_c_ru[] = {"RUS", "KAZ", "BLR"};
static const gen_name gen_s_ru[] = {
    {"IVANOV", "ИВАНОВ"},        {"SMIRNOV", "СМИРНОВ"},
    {"KUZNETSOV", "КУЗНЕЦОВ"},   {"POPOV", "ПОПОВ"},
    {"VOLKOV", "ВОЛКОВ"},        {"SOKOLOV", "СОКОЛОВ"},
    {"KHRUSHCHEV", "ХРУЩЁВ"},    {"ZHUKOV", "ЖУКОВ"},
    {"TSVETKOV", "ЦВЕТКОВ"},     {"MOROZOV", "МОРОЗОВ"},
    {"SHCHERBAKOV", "ЩЕРБАКОВ"}, {"ORLOV", "ОРЛОВ"}};
static const gen_name gen_m_ru[] = {
    {"ALEKSANDR", "АЛЕКСАНДР"}, {"SERGEI", "СЕРГЕЙ"},   {"DMITRII", "ДМИТРИЙ"},
    {"ANDREI", "АНДРЕЙ"},       {"ALEKSEI", "АЛЕКСЕЙ"}, {"MIKHAIL", "МИХАИЛ"},
    {"IURII", "ЮРИЙ"},          {"NIKOLAI", "НИКОЛАЙ"}};
static const gen_name gen_f_ru[] = {
    {"ELENA", "ЕЛЕНА"}, {"OLGA", "ОЛЬГА"},       {"NATALIA", "НАТАЛЬЯ"},
    {"IULIIA", "ЮЛИЯ"}, {"TATIANA", "ТАТЬЯНА"},  {"ANASTASIIA", "АНАСТАСИЯ"},
    {"IRINA", "ИРИНА"}, {"SVETLANA", "СВЕТЛАНА"}};

static const char *const gen_c_uk[] = {"UKR"};
static const gen_name gen_s_uk[] = {
    {"SHEVCHENKO", "ШЕВЧЕНКО"},   {"KOVALENKO", "КОВАЛЕНКО"},
    {"BONDARENKO", "БОНДАРЕНКО"}, {"TKACHENKO", "ТКАЧЕНКО"},
    {"KRAVCHUK", "КРАВЧУК"},      {"MELNYK", "МЕЛЬНИК"},
    {"OLIINYK", "ОЛІЙНИК"},       {"HONCHARENKO", "ГОНЧАРЕНКО"}};
static const gen_name gen_m_uk[] = {
    {"OLEKSANDR", "ОЛЕКСАНДР"}, {"VOLODYMYR", "ВОЛОДИМИР"},
    {"MYKOLA", "МИКОЛА"},       {"SERHII", "СЕРГІЙ"},
    {"ANDRII", "АНДРІЙ"},       {"YURII", "ЮРІЙ"}};
static const gen_name gen_f_uk[] = {
    {"OLENA", "ОЛЕНА"},   {"KATERYNA", "КАТЕРИНА"}, {"IRYNA", "ІРИНА"},
    {"OKSANA", "ОКСАНА"}, {"YULIIA", "ЮЛІЯ"},       {"NATALIIA", "НАТАЛІЯ"}};

static const char *const gen_c_zh[] = {"CHN", "CHN", "TWN", "SGP", "MYS"};
static const gen_name gen_s_zh[] = {
    {"WANG", 0}, {"LI", 0},    {"ZHANG", 0}, {"LIU", 0}, {"CHEN", 0},
    {"YANG", 0}, {"HUANG", 0}, {"ZHAO", 0},  {"WU", 0},  {"ZHOU", 0},
    {"XU", 0},   {"SUN", 0},   {"MA", 0},    {"ZHU", 0}, {"OUYANG", 0}};
static const gen_name gen_m_zh[] = {{"WEI", 0}, {"QIANG", 0},    {"JIANGUO", 0},
                                    {"HAO", 0}, {"XIAOMING", 0}, {"ZHIWEI", 0},
                                    {"JUN", 0}, {"YONG", 0}};
static const gen_name gen_f_zh[] = {
    {"FANG", 0}, {"XIUYING", 0},  {"LI NA", 0}, {"JING", 0},
    {"YAN", 0},  {"XIAOHONG", 0}, {"MEI", 0},   {"LING", 0}};

static const char *const gen_c_ko[] = {"KOR"};
static const gen_name gen_s_ko[] = {
    {"KIM", 0},  {"LEE", 0}, {"PARK", 0}, {"CHOI", 0}, {"JUNG", 0},
    {"KANG", 0}, {"CHO", 0}, {"YOON", 0}, {"JANG", 0}, {"LIM", 0}};
static const gen_name gen_m_ko[] = {{"MINJUN", 0},   {"SEO JUN", 0},
                                    {"JI HOON", 0},  {"HYUN WOO", 0},
                                    {"DONGHYUN", 0}, {"SUNG MIN", 0}};
static const gen_name gen_f_ko[] = {{"SEOYEON", 0}, {"JI YOUNG", 0},
                                    {"MIN JI", 0},  {"HYE JIN", 0},
                                    {"SOYEON", 0},  {"EUN JI", 0}};

static const char *const gen_c_vi[] = {"VNM"};
static const gen_name gen_s_vi[] = {
    {"NGUYEN", 0}, {"TRAN", 0}, {"LE", 0},   {"PHAM", 0}, {"HOANG", 0},
    {"HUYNH", 0},  {"VU", 0},   {"DANG", 0}, {"BUI", 0},  {"DO", 0}};
static const gen_name gen_m_vi[] = {{"VAN AN", 0},     {"MINH DUC", 0},
                                    {"VAN HUNG", 0},   {"QUANG HAI", 0},
                                    {"THANH TUNG", 0}, {"DUC ANH", 0}};
static const gen_name gen_f_vi[] = {{"THI LAN", 0},  {"THI HOA", 0},
                                    {"NGOC ANH", 0}, {"THU TRANG", 0},
                                    {"THI MAI", 0},  {"BICH NGOC", 0}};

static const char *const gen_c_in[] = {"IND", "IND", "NPL",
                                       "LKA", "BGD", "PAK"};
static const gen_name gen_s_in[] = {
    {"SHARMA", 0},     {"PATEL", 0},    {"SINGH", 0},      {"KUMAR", 0},
    {"GUPTA", 0},      {"REDDY", 0},    {"IYER", 0},       {"NAIR", 0},
    {"CHATTERJEE", 0}, {"BANERJEE", 0}, {"DESAI", 0},      {"KHAN", 0},
    {"MUKHERJEE", 0},  {"PILLAI", 0},   {"SUBRAMANIAM", 0}};
static const gen_name gen_m_in[] = {
    {"RAHUL", 0},          {"AMIT", 0},  {"SURESH", 0}, {"RAJESH", 0},
    {"VENKATA RAMANA", 0}, {"ARJUN", 0}, {"SANJAY", 0}, {"MOHAN", 0}};
static const gen_name gen_f_in[] = {
    {"PRIYA", 0},   {"ANJALI", 0},  {"LAKSHMI", 0}, {"SUNITA", 0},
    {"DEEPIKA", 0}, {"KAVITHA", 0}, {"POOJA", 0}};

static const char *const gen_c_ng[] = {"NGA", "GHA", "KEN", "ETH"};
static const gen_name gen_s_ng[] = {
    {"OKONKWO", 0}, {"ADEYEMI", 0}, {"OKAFOR", 0},  {"BELLO", 0},
    {"OLAWALE", 0}, {"EZE", 0},     {"NWOSU", 0},   {"ABUBAKAR", 0},
    {"MENSAH", 0},  {"OTIENO", 0},  {"TESFAYE", 0}, {"OGUNLEYE", 0}};
static const gen_name gen_m_ng[] = {
    {"CHUKWUEMEKA", 0}, {"OLUWASEUN", 0}, {"IBRAHIM", 0},   {"TUNDE", 0},
    {"KWAME", 0},       {"EMEKA", 0},     {"BABATUNDE", 0}, {"MUSA", 0}};
static const gen_name gen_f_ng[] = {
    {"NGOZI", 0}, {"FOLASADE", 0},  {"CHIAMAKA", 0}, {"AISHA", 0},
    {"ABENA", 0}, {"OLUWAKEMI", 0}, {"AMINA", 0}};

static const char *const gen_c_tr[] = {"TUR"};
static const gen_name gen_s_tr[] = {
    {"YILMAZ", "YILMAZ"}, {"KAYA", 0},        {"DEMIR", 0},
    {"SAHIN", "ŞAHİN"},   {"CELIK", "ÇELİK"}, {"YILDIZ", "YILDIZ"},
    {"OZTURK", "ÖZTÜRK"}, {"AYDIN", 0},       {"ARSLAN", 0},
    {"DOGAN", "DOĞAN"},   {"KOC", "KOÇ"}};
static const gen_name gen_m_tr[] = {
    {"MEHMET", 0},    {"MUSTAFA", 0},         {"AHMET", 0},      {"EMRE", 0},
    {"OGUZ", "OĞUZ"}, {"IBRAHIM", "İBRAHİM"}, {"CAGRI", "ÇAĞRI"}};
static const gen_name gen_f_tr[] = {{"AYSE", "AYŞE"},   {"FATMA", 0},
                                    {"ELIF", 0},        {"ZEYNEP", 0},
                                    {"OZLEM", "ÖZLEM"}, {"SULE", "ŞULE"}};

static const char *const gen_c_el[] = {"GRC", "CYP"};
static const gen_name gen_s_el[] = {{"PAPADOPOULOS", "ΠΑΠΑΔΟΠΟΥΛΟΣ"},
                                    {"GEORGIOU", "ΓΕΩΡΓΙΟΥ"},
                                    {"NIKOLAIDIS", "ΝΙΚΟΛΑΪΔΗΣ"},
                                    {"KARAGIANNIS", "ΚΑΡΑΓΙΑΝΝΗΣ"},
                                    {"OIKONOMOU", "ΟΙΚΟΝΟΜΟΥ"},
                                    {"PAPAGEORGIOU", "ΠΑΠΑΓΕΩΡΓΙΟΥ"},
                                    {"VLACHOS", "ΒΛΑΧΟΣ"}};
static const gen_name gen_m_el[] = {{"GEORGIOS", "ΓΕΩΡΓΙΟΣ"},
                                    {"DIMITRIOS", "ΔΗΜΗΤΡΙΟΣ"},
                                    {"KONSTANTINOS", "ΚΩΝΣΤΑΝΤΙΝΟΣ"},
                                    {"IOANNIS", "ΙΩΑΝΝΗΣ"},
                                    {"NIKOLAOS", "ΝΙΚΟΛΑΟΣ"}};
static const gen_name gen_f_el[] = {{"MARIA", "ΜΑΡΙΑ"},
                                    {"ELENI", "ΕΛΕΝΗ"},
                                    {"AIKATERINI", "ΑΙΚΑΤΕΡΙΝΗ"},
                                    {"SOFIA", "ΣΟΦΙΑ"},
                                    {"DESPOINA", "ΔΕΣΠΟΙΝΑ"}};

/* Many Indonesians have one name only; it goes in the surname field. */
static const char *const gen_c_id[] = {"IDN"};
static const gen_name gen_s_id[] = {
    {"SUKARNO", 0}, {"SUHARTO", 0}, {"WIDODO", 0},    {"SETIAWAN", 0},
    {"SUSANTO", 0}, {"HIDAYAT", 0}, {"KURNIAWAN", 0}, {"WIBOWO", 0},
    {"LESTARI", 0}, {"RAHAYU", 0},  {"SUPARMAN", 0},  {"PURNOMO", 0}};
static const gen_name gen_m_id[] = {
    {"BUDI", 0}, {"AGUS", 0}, {"EKO", 0}, {"JOKO", 0}, {"ADI", 0}};
static const gen_name gen_f_id[] = {
    {"SITI", 0}, {"DEWI", 0}, {"SRI", 0}, {"PUTRI", 0}, {"WULAN", 0}};

static const char *const gen_c_ph[] = {"PHL"};
static const gen_name gen_s_ph[] = {
    {"DELA CRUZ", 0}, {"SANTOS", 0},    {"REYES", 0},      {"BAUTISTA", 0},
    {"GARCIA", 0},    {"MENDOZA", 0},   {"VILLANUEVA", 0}, {"CASTILLO", 0},
    {"DE GUZMAN", 0}, {"MACAPAGAL", 0}, {"AQUINO", 0}};
static const gen_name gen_m_ph[] = {
    {"JOSE", 0},  {"JUAN CARLO", 0}, {"MARK ANTHONY", 0}, {"RODRIGO", 0},
    {"JOMAR", 0}, {"ARIEL", 0},      {"RONALDO", 0}};
static const gen_name gen_f_ph[] = {{"MARIA CRISTINA", 0}, {"JOCELYN", 0},
                                    {"MARICEL", 0},        {"ROSALIE", 0},
                                    {"LOVELY", 0},         {"ANGELICA", 0}};

#define GEN_CULTURE(x, w, single, two, mid, crew)                              \
    {                                                                          \
        gen_c_##x, GEN_N(gen_c_##x), gen_s_##x, GEN_N(gen_s_##x), gen_m_##x,   \
            GEN_N(gen_m_##x), gen_f_##x, GEN_N(gen_f_##x), w, single, two,     \
            mid, crew                                                          \
    }

static const gen_culture gen_cultures[] = {
    GEN_CULTURE(en, 160, 0, 0, 350, 10), GEN_CULTURE(es, 90, 0, 600, 150, 6),
    GEN_CULTURE(pt, 50, 0, 300, 300, 4), GEN_CULTURE(fr, 70, 0, 0, 250, 4),
    GEN_CULTURE(de, 70, 0, 0, 200, 6),   GEN_CULTURE(ar, 90, 0, 0, 400, 8),
    GEN_CULTURE(ru, 50, 0, 0, 0, 25),    GEN_CULTURE(uk, 30, 0, 0, 0, 30),
    GEN_CULTURE(zh, 90, 0, 0, 0, 20),    GEN_CULTURE(ko, 30, 0, 0, 0, 5),
    GEN_CULTURE(vi, 30, 0, 0, 0, 10),    GEN_CULTURE(in, 80, 60, 0, 150, 45),
    GEN_CULTURE(ng, 40, 0, 0, 300, 8),   GEN_CULTURE(tr, 40, 0, 0, 100, 6),
    GEN_CULTURE(el, 20, 0, 0, 0, 12),    GEN_CULTURE(id, 30, 450, 0, 0, 25),
    GEN_CULTURE(ph, 30, 0, 0, 300, 80),
};

/* Airports: IATA code, city (for birthplaces) and ISO alpha-3 state. */
typedef struct gen_place {
    const char *code, *city, *country;
} gen_place;

static const gen_place gen_airports[] = {{"LHR", "LONDON", "GBR"},
                                         {"MAN", "MANCHESTER", "GBR"},
                                         {"JFK", "NEW YORK", "USA"},
                                         {"LAX", "LOS ANGELES", "USA"},
                                         {"ORD", "CHICAGO", "USA"},
                                         {"ATL", "ATLANTA", "USA"},
                                         {"MIA", "MIAMI", "USA"},
                                         {"YYZ", "TORONTO", "CAN"},
                                         {"SYD", "SYDNEY", "AUS"},
                                         {"DUB", "DUBLIN", "IRL"},
                                         {"JNB", "JOHANNESBURG", "ZAF"},
                                         {"MAD", "MADRID", "ESP"},
                                         {"BCN", "BARCELONA", "ESP"},
                                         {"MEX", "MEXICO CITY", "MEX"},
                                         {"BOG", "BOGOTA", "COL"},
                                         {"EZE", "BUENOS AIRES", "ARG"},
                                         {"SCL", "SANTIAGO", "CHL"},
                                         {"LIM", "LIMA", "PER"},
                                         {"LIS", "LISBON", "PRT"},
                                         {"GRU", "SAO PAULO", "BRA"},
                                         {"GIG", "RIO DE JANEIRO", "BRA"},
                                         {"LAD", "LUANDA", "AGO"},
                                         {"CDG", "PARIS", "FRA"},
                                         {"NCE", "NICE", "FRA"},
                                         {"BRU", "BRUSSELS", "BEL"},
                                         {"GVA", "GENEVA", "CHE"},
                                         {"DSS", "DAKAR", "SEN"},
                                         {"FRA", "FRANKFURT", "DEU"},
                                         {"MUC", "MUNICH", "DEU"},
                                         {"VIE", "VIENNA", "AUT"},
                                         {"ZRH", "ZURICH", "CHE"},
                                         {"JED", "JEDDAH", "SAU"},
                                         {"RUH", "RIYADH", "SAU"},
                                         {"CAI", "CAIRO", "EGY"},
                                         {"AMM", "AMMAN", "JOR"},
                                         {"DXB", "DUBAI", "ARE"},
                                         {"DOH", "DOHA", "QAT"},
                                         {"CMN", "CASABLANCA", "MAR"},
                                         {"ALG", "ALGIERS", "DZA"},
                                         {"BEY", "BEIRUT", "LBN"},
                                         {"SVO", "MOSCOW", "RUS"},
                                         {"LED", "SAINT PETERSBURG", "RUS"},
                                         {"ALA", "ALMATY", "KAZ"},
                                         {"KBP", "KYIV", "UKR"},
                                         {"ODS", "ODESA", "UKR"},
                                         {"PEK", "BEIJING", "CHN"},
                                         {"PVG", "SHANGHAI", "CHN"},
                                         {"CAN", "GUANGZHOU", "CHN"},
                                         {"TPE", "TAIPEI", "TWN"},
                                         {"SIN", "SINGAPORE", "SGP"},
                                         {"KUL", "KUALA LUMPUR", "MYS"},
                                         {"ICN", "SEOUL", "KOR"},
                                         {"SGN", "HO CHI MINH CITY", "VNM"},
                                         {"HAN", "HANOI", "VNM"},
                                         {"DEL", "DELHI", "IND"},
                                         {"BOM", "MUMBAI", "IND"},
                                         {"MAA", "CHENNAI", "IND"},
                                         {"KTM", "KATHMANDU", "NPL"},
                                         {"CMB", "COLOMBO", "LKA"},
                                         {"DAC", "DHAKA", "BGD"},
                                         {"KHI", "KARACHI", "PAK"},
                                         {"LOS", "LAGOS", "NGA"},
                                         {"ABV", "ABUJA", "NGA"},
                                         {"ACC", "ACCRA", "GHA"},
                                         {"NBO", "NAIROBI", "KEN"},
                                         {"ADD", "ADDIS ABABA", "ETH"},
                                         {"IST", "ISTANBUL", "TUR"},
                                         {"ESB", "ANKARA", "TUR"},
                                         {"ATH", "ATHENS", "GRC"},
                                         {"LCA", "LARNACA", "CYP"},
                                         {"CGK", "JAKARTA", "IDN"},
                                         {"DPS", "DENPASAR", "IDN"},
                                         {"MNL", "MANILA", "PHL"},
                                         {"CEB", "CEBU", "PHL"},
                                         {"NRT", "TOKYO", "JPN"},
                                         {"AMS", "AMSTERDAM", "NLD"},
                                         {"HEL", "HELSINKI", "FIN"},
                                         {"WAW", "WARSAW", "POL"}};

/* Sea ports: UN/LOCODE, city and state. */
static const gen_place gen_ports[] = {
    {"NLRTM", "ROTTERDAM", "NLD"},     {"GBSOU", "SOUTHAMPTON", "GBR"},
    {"GBDVR", "DOVER", "GBR"},         {"DEHAM", "HAMBURG", "DEU"},
    {"BEANR", "ANTWERP", "BEL"},       {"FRLEH", "LE HAVRE", "FRA"},
    {"FRMRS", "MARSEILLE", "FRA"},     {"ESBCN", "BARCELONA", "ESP"},
    {"ESALG", "ALGECIRAS", "ESP"},     {"ITGOA", "GENOA", "ITA"},
    {"ITCVV", "CIVITAVECCHIA", "ITA"}, {"GRPIR", "PIRAEUS", "GRC"},
    {"TRIST", "ISTANBUL", "TUR"},      {"MTMLA", "VALLETTA", "MLT"},
    {"PTLIS", "LISBON", "PRT"},        {"NOOSL", "OSLO", "NOR"},
    {"NOBGO", "BERGEN", "NOR"},        {"DKCPH", "COPENHAGEN", "DNK"},
    {"SEGOT", "GOTHENBURG", "SWE"},    {"FIHEL", "HELSINKI", "FIN"},
    {"EETLL", "TALLINN", "EST"},       {"USMIA", "MIAMI", "USA"},
    {"USNYC", "NEW YORK", "USA"},      {"USSEA", "SEATTLE", "USA"},
    {"CAHAL", "HALIFAX", "CAN"},       {"BRSSZ", "SANTOS", "BRA"},
    {"ZADUR", "DURBAN", "ZAF"},        {"AEJEA", "JEBEL ALI", "ARE"},
    {"SGSIN", "SINGAPORE", "SGP"},     {"CNSHA", "SHANGHAI", "CHN"},
    {"HKHKG", "HONG KONG", "HKG"},     {"KRPUS", "BUSAN", "KOR"},
    {"JPYOK", "YOKOHAMA", "JPN"},      {"AUSYD", "SYDNEY", "AUS"},
    {"PHMNL", "MANILA", "PHL"},        {"EGPSD", "PORT SAID", "EGY"}};

/* Airline designators. */
static const char *const gen_airlines[] = {
    "BA", "LH", "AF", "KL", "IB", "TP", "EK", "QR", "EY", "TK", "SV",
    "MS", "RJ", "AT", "SU", "PS", "CA", "MU", "CZ", "CX", "SQ", "MH",
    "KE", "OZ", "VN", "AI", "6E", "UL", "PK", "ET", "KQ", "WB", "AA",
    "UA", "DL", "AC", "QF", "NZ", "LA", "AV", "AM", "CM", "GA", "PR",
    "5J", "EI", "SK", "AY", "LO", "A3", "OS", "LX", "SN", "U2", "FR"};

/* Vessels: invented names; the operator code and flag vary per voyage.
 * Call-sign prefixes follow the ITU allocation of the flag state. */
static const char *const gen_vessel_words1[] = {
    "NORDIC", "OCEAN",    "AURORA",   "PACIFIC", "ATLANTIC", "STAR",   "SILVER",
    "BALTIC", "CORAL",    "ISLAND",   "ROYAL",   "SEVEN",    "GOLDEN", "AEGEAN",
    "CELTIC", "ADRIATIC", "MERIDIAN", "POLAR",   "AZURE",    "HORIZON"};
static const char *const gen_vessel_words2[] = {
    "SPIRIT",    "PRINCESS", "EXPLORER", "VOYAGER", "PEARL",   "QUEEN",
    "NAVIGATOR", "DREAM",    "HARMONY",  "WIND",    "LEGEND",  "MARINER",
    "TRADER",    "CARRIER",  "GRACE",    "BREEZE",  "FORTUNE", "SERENITY"};

/* Ship operators: invented codes. */
static const char *const gen_operators[] = {
    "NORDLINE", "BLUEWAVE", "MEDFERRY", "OCEANIC", "ISLANDER",
    "POLARIS",  "SEACOAST", "AEGEANSL", "BALTICF", "CORALCRU"};

typedef struct gen_flag {
    const char *alpha2, *callsign_prefix;
} gen_flag;

static const gen_flag gen_flags[] = {
    {"PA", "3E"}, {"LR", "A8"}, {"MH", "V7"}, {"MT", "9H"}, {"BS", "C6"},
    {"CY", "5B"}, {"GR", "SV"}, {"NO", "LA"}, {"GB", "MZ"}, {"NL", "PB"},
    {"SG", "9V"}, {"HK", "VR"}, {"IT", "IB"}, {"DE", "DA"}, {"DK", "OZ"}};

static const char *const gen_sea_ranks[] = {
    "MASTER",         "CHIEF OFFICER",   "SECOND OFFICER", "THIRD OFFICER",
    "CHIEF ENGINEER", "SECOND ENGINEER", "ELECTRICIAN",    "BOSUN",
    "ABLE SEAMAN",    "ORDINARY SEAMAN", "OILER",          "COOK",
    "STEWARD",        "MESSMAN",         "FITTER",         "HOTEL MANAGER",
    "WAITER",         "CABIN STEWARD"};

static const char *const gen_streets[] = {
    "12 HIGH STREET",       "235 WESTERN ROAD SUITE 203",
    "4 RUE DE LA PAIX",     "CALLE MAYOR 15",
    "HAUPTSTRASSE 7",       "AVENIDA PAULISTA 1000",
    "PO BOX 1120",          "88 NANJING ROAD",
    "UL. LENINA 22 KV. 5",  "21 MARINE DRIVE",
    "PLOT 14 ADEOLA ODEKU", "FLAT 3 BLOCK B"};

#endif
