/**
 * The emoji picker's data, loaded only when the picker first opens (a
 * dynamic import). Native emoji (no images), a common set per category with
 * short English names for search. Compact on purpose: one string per
 * category, entries `emoji name` separated by `;`.
 */

import type { EmojiNames } from './emoji-names.js';

export interface EmojiEntry {
  emoji: string;
  name: string;
}

export interface EmojiCategory {
  id: string;
  label: string;
  icon: string;
  entries: EmojiEntry[];
}

const RAW: Array<[id: string, label: string, icon: string, list: string]> = [
  [
    'smileys',
    'Smileys',
    '😀',
    '😀 grinning;😃 grinning big eyes;😄 grinning smiling eyes;😁 beaming;😆 laughing squinting;😅 sweat smile;🤣 rolling on the floor laughing;😂 tears of joy laughing;🙂 slightly smiling;🙃 upside down;😉 wink;😊 smiling blush;😇 halo innocent;🥰 smiling hearts love;😍 heart eyes love;🤩 star struck;😘 blowing a kiss;😗 kissing;😚 kissing closed eyes;😙 kissing smiling eyes;🥲 smiling tear;😋 yum delicious;😛 tongue;😜 winking tongue;🤪 zany crazy;😝 squinting tongue;🤑 money mouth;🤗 hugging hug;🤭 hand over mouth;🤫 shushing quiet;🤔 thinking;🤐 zipper mouth;🤨 raised eyebrow;😐 neutral;😑 expressionless;😶 no mouth;😏 smirk;😒 unamused;🙄 rolling eyes;😬 grimacing;😮‍💨 exhaling;🤥 lying;😌 relieved;😔 pensive;😪 sleepy;🤤 drooling;😴 sleeping;😷 medical mask sick;🤒 thermometer ill;🤕 bandage hurt;🤢 nauseated;🤮 vomiting;🤧 sneezing;🥵 hot;🥶 cold freezing;🥴 woozy;😵 dizzy;🤯 exploding head mind blown;🤠 cowboy;🥳 partying party;🥸 disguised;😎 sunglasses cool;🤓 nerd;🧐 monocle;😕 confused;😟 worried;🙁 slightly frowning;☹️ frowning;😮 open mouth surprised;😯 hushed;😲 astonished;😳 flushed;🥺 pleading;😦 frowning open mouth;😧 anguished;😨 fearful;😰 anxious sweat;😥 sad relieved;😢 crying;😭 sobbing loudly crying;😱 screaming fear;😖 confounded;😣 persevering;😞 disappointed;😓 downcast sweat;😩 weary;😫 tired;🥱 yawning;😤 triumph steam;😡 pouting angry;😠 angry;🤬 cursing;😈 smiling horns devil;👿 angry horns;💀 skull;💩 poo;🤡 clown;👻 ghost;👽 alien;🤖 robot;😺 grinning cat;😸 grinning cat smiling eyes;😹 cat tears of joy;😻 cat heart eyes;🙀 weary cat;😿 crying cat',
  ],
  [
    'people',
    'People',
    '👋',
    '👋 waving hand hello bye;🤚 raised back of hand;🖐️ hand fingers splayed;✋ raised hand high five;🖖 vulcan salute;👌 ok hand;🤌 pinched fingers;🤏 pinching hand;✌️ victory peace;🤞 crossed fingers luck;🤟 love you gesture;🤘 horns rock;🤙 call me;👈 pointing left;👉 pointing right;👆 pointing up;👇 pointing down;☝️ index pointing up;👍 thumbs up like yes;👎 thumbs down dislike no;✊ raised fist;👊 oncoming fist;🤛 left fist;🤜 right fist;👏 clapping applause;🙌 raising hands hooray;👐 open hands;🤲 palms up;🤝 handshake deal;🙏 folded hands please thanks pray;✍️ writing hand;💅 nail polish;🤳 selfie;💪 flexed biceps strong;🧠 brain;👀 eyes look;👁️ eye;👅 tongue;👄 mouth;👶 baby;🧒 child;👦 boy;👧 girl;🧑 person;👨 man;👩 woman;🧓 older person;👴 old man;👵 old woman;🙍 person frowning;🙎 person pouting;🙅 no gesture;🙆 ok gesture;💁 tipping hand;🙋 raising hand;🙇 bowing;🤦 facepalm;🤷 shrug;👮 police officer;🕵️ detective;👷 construction worker;🤴 prince;👸 princess;🧑‍💻 technologist coder;🧑‍🍳 cook;🧑‍🎓 student;🧑‍🏫 teacher;🧑‍⚕️ health worker doctor;🎅 santa claus;🦸 superhero;🧙 mage wizard;🧚 fairy;🧛 vampire;🧜 merperson;🧞 genie;🧟 zombie;💃 dancing woman;🕺 dancing man;🏃 running;🚶 walking;👫 couple holding hands;💑 couple with heart;👪 family',
  ],
  [
    'nature',
    'Animals & nature',
    '🐶',
    '🐶 dog face;🐱 cat face;🐭 mouse;🐹 hamster;🐰 rabbit bunny;🦊 fox;🐻 bear;🐼 panda;🐨 koala;🐯 tiger;🦁 lion;🐮 cow;🐷 pig;🐸 frog;🐵 monkey face;🙈 see no evil monkey;🙉 hear no evil monkey;🙊 speak no evil monkey;🐔 chicken;🐧 penguin;🐦 bird;🐤 baby chick;🦆 duck;🦅 eagle;🦉 owl;🦇 bat;🐺 wolf;🐗 boar;🐴 horse;🦄 unicorn;🐝 honeybee bee;🐛 bug;🦋 butterfly;🐌 snail;🐞 lady beetle ladybug;🐜 ant;🕷️ spider;🐢 turtle;🐍 snake;🦎 lizard;🐙 octopus;🦑 squid;🦀 crab;🐠 tropical fish;🐟 fish;🐬 dolphin;🐳 spouting whale;🦈 shark;🐊 crocodile;🐘 elephant;🦒 giraffe;🐪 camel;🦘 kangaroo;🐑 sheep;🐐 goat;🦌 deer;🐕 dog;🐈 cat;🐓 rooster;🦃 turkey;🦚 peacock;🦜 parrot;🕊️ dove peace;🐇 rabbit;🐿️ chipmunk squirrel;🦔 hedgehog;🐾 paw prints;🐉 dragon;🌵 cactus;🎄 christmas tree;🌲 evergreen tree;🌳 tree;🌴 palm tree;🌱 seedling;🌿 herb;☘️ shamrock;🍀 four leaf clover luck;🍁 maple leaf;🍂 fallen leaf autumn;🍄 mushroom;💐 bouquet flowers;🌷 tulip;🌹 rose;🥀 wilted flower;🌺 hibiscus;🌸 cherry blossom;🌼 blossom;🌻 sunflower;🌞 sun with face;🌝 full moon face;🌙 crescent moon;⭐ star;🌟 glowing star;✨ sparkles;⚡ high voltage lightning;🔥 fire lit;🌈 rainbow;☀️ sun;⛅ sun behind cloud;☁️ cloud;🌧️ rain;⛈️ thunderstorm;❄️ snowflake;☃️ snowman;🌊 water wave;💧 droplet;🌍 globe earth',
  ],
  [
    'food',
    'Food & drink',
    '🍎',
    '🍏 green apple;🍎 red apple;🍐 pear;🍊 tangerine orange;🍋 lemon;🍌 banana;🍉 watermelon;🍇 grapes;🍓 strawberry;🫐 blueberries;🍈 melon;🍒 cherries;🍑 peach;🥭 mango;🍍 pineapple;🥥 coconut;🥝 kiwi;🍅 tomato;🍆 eggplant;🥑 avocado;🥦 broccoli;🥬 leafy green;🥒 cucumber;🌶️ hot pepper chili;🌽 corn;🥕 carrot;🧄 garlic;🧅 onion;🥔 potato;🥐 croissant;🥯 bagel;🍞 bread;🥖 baguette;🧀 cheese;🥚 egg;🍳 cooking fried egg;🥞 pancakes;🧇 waffle;🥓 bacon;🥩 steak meat;🍗 poultry leg chicken;🍖 meat on bone;🌭 hot dog;🍔 hamburger burger;🍟 french fries;🍕 pizza;🥪 sandwich;🌮 taco;🌯 burrito;🥗 salad;🍝 spaghetti pasta;🍜 steaming bowl noodles ramen;🍲 pot of food;🍛 curry rice;🍣 sushi;🍱 bento box;🥟 dumpling;🍤 fried shrimp;🍙 rice ball;🍚 cooked rice;🍘 rice cracker;🥮 moon cake;🍢 oden;🍡 dango;🍧 shaved ice;🍨 ice cream;🍦 soft ice cream;🥧 pie;🧁 cupcake;🍰 shortcake cake;🎂 birthday cake;🍮 custard pudding;🍭 lollipop;🍬 candy;🍫 chocolate bar;🍿 popcorn;🍩 doughnut donut;🍪 cookie;🥜 peanuts;🍯 honey pot;🥛 glass of milk;☕ hot beverage coffee;🍵 teacup tea;🧋 bubble tea;🥤 cup with straw;🍶 sake;🍺 beer mug;🍻 clinking beer mugs cheers;🥂 clinking glasses;🍷 wine glass;🥃 tumbler whisky;🍸 cocktail;🍹 tropical drink;🍾 bottle popping cork champagne;🧊 ice;🥢 chopsticks;🍴 fork and knife;🥄 spoon',
  ],
  [
    'activities',
    'Activities',
    '⚽',
    '⚽ soccer football;🏀 basketball;🏈 american football;⚾ baseball;🎾 tennis;🏐 volleyball;🏉 rugby;🎱 pool 8 ball;🏓 ping pong table tennis;🏸 badminton;🥅 goal net;⛳ golf flag;🏹 bow and arrow;🎣 fishing;🥊 boxing glove;🥋 martial arts;⛸️ ice skate;🎿 skis;🏂 snowboarder;🏋️ weight lifting;🤸 cartwheel;⛹️ bouncing ball;🤺 fencing;🏊 swimming;🚴 biking cycling;🧘 yoga lotus;🏆 trophy winner;🥇 gold medal first;🥈 silver medal second;🥉 bronze medal third;🏅 sports medal;🎖️ military medal;🎗️ reminder ribbon;🎫 ticket;🎪 circus tent;🎭 performing arts theater;🎨 artist palette art;🎬 clapper board movie;🎤 microphone karaoke;🎧 headphones;🎼 musical score;🎹 piano keyboard;🥁 drum;🎷 saxophone;🎺 trumpet;🎸 guitar;🎻 violin;🎲 game die dice;♟️ chess pawn;🎯 direct hit bullseye target;🎳 bowling;🎮 video game controller;🕹️ joystick;🧩 puzzle piece;🎉 party popper tada celebration;🎊 confetti ball;🎈 balloon;🎁 wrapped gift present;🎀 ribbon;🧨 firecracker;🎆 fireworks;🎇 sparkler;🧧 red envelope;🎃 jack o lantern halloween;🎄 christmas tree;🎋 tanabata tree;🎍 pine decoration;🎐 wind chime;🎑 moon viewing',
  ],
  [
    'travel',
    'Travel & places',
    '🚗',
    '🚗 car automobile;🚕 taxi;🚙 suv;🚌 bus;🚎 trolleybus;🏎️ racing car;🚓 police car;🚑 ambulance;🚒 fire engine;🚐 minibus;🛻 pickup truck;🚚 delivery truck;🚲 bicycle bike;🛴 kick scooter;🛵 motor scooter;🏍️ motorcycle;🚨 police light siren;🚄 high speed train;🚆 train;🚇 metro subway;🚊 tram;✈️ airplane plane;🛫 departure;🛬 arrival;🚀 rocket;🛸 flying saucer ufo;🚁 helicopter;⛵ sailboat;🚤 speedboat;🛳️ passenger ship;⚓ anchor;⛽ fuel pump gas;🚧 construction;🚦 traffic light;🗺️ world map;🗽 statue of liberty;🗼 tokyo tower;🏰 castle;🏯 japanese castle;🏟️ stadium;🎡 ferris wheel;🎢 roller coaster;⛲ fountain;⛱️ umbrella on ground beach;🏖️ beach;🏝️ island;🏜️ desert;🌋 volcano;⛰️ mountain;🏔️ snow capped mountain;🗻 mount fuji;🏕️ camping;⛺ tent;🏠 house home;🏡 house with garden;🏢 office building;🏥 hospital;🏦 bank;🏨 hotel;🏪 convenience store;🏫 school;⛪ church;🕌 mosque;🛕 hindu temple;🕍 synagogue;🌁 foggy;🌃 night with stars;🏙️ cityscape;🌅 sunrise;🌄 sunrise over mountains;🌇 sunset;🌉 bridge at night;🎠 carousel horse',
  ],
  [
    'objects',
    'Objects',
    '💡',
    '⌚ watch;📱 mobile phone;💻 laptop computer;⌨️ keyboard;🖥️ desktop computer;🖨️ printer;🖱️ computer mouse;💾 floppy disk save;💿 optical disk cd;📷 camera photo;📸 camera with flash;📹 video camera;🎥 movie camera;📞 telephone receiver;☎️ telephone;📺 television tv;📻 radio;⏰ alarm clock;⏳ hourglass;🔋 battery;🔌 electric plug;💡 light bulb idea;🔦 flashlight;🕯️ candle;💸 money with wings;💵 dollar banknote;💰 money bag;💳 credit card;💎 gem stone diamond;🔧 wrench;🔨 hammer;🛠️ tools;⚙️ gear;🧲 magnet;🔫 water pistol;💣 bomb;🔪 kitchen knife;🛡️ shield;🔮 crystal ball;💊 pill;💉 syringe;🧬 dna;🔬 microscope;🔭 telescope;🧹 broom;🧺 basket;🧻 roll of paper;🚽 toilet;🛁 bathtub;🔑 key;🗝️ old key;🚪 door;🛋️ couch and lamp;🛏️ bed;🧸 teddy bear;🖼️ framed picture;🛍️ shopping bags;🛒 shopping cart;✉️ envelope;📩 envelope with arrow;📨 incoming envelope;📧 e-mail;💌 love letter;📦 package box;📫 mailbox;📝 memo note;📄 page document;📅 calendar;📆 tear off calendar;📊 bar chart;📈 chart increasing;📉 chart decreasing;📋 clipboard;📌 pushpin;📎 paperclip;✂️ scissors;🖊️ pen;✏️ pencil;🔍 magnifying glass search;🔒 locked;🔓 unlocked;📚 books;📖 open book;🔖 bookmark;🏷️ label tag;📰 newspaper;🎒 backpack;👓 glasses;🕶️ sunglasses;👔 necktie;👕 t-shirt;👖 jeans;👗 dress;👟 running shoe sneaker;👠 high heeled shoe;👑 crown;🎩 top hat;🧢 billed cap;💄 lipstick;💍 ring;☂️ umbrella',
  ],
  [
    'symbols',
    'Symbols',
    '❤️',
    '❤️ red heart love;🧡 orange heart;💛 yellow heart;💚 green heart;💙 blue heart;💜 purple heart;🖤 black heart;🤍 white heart;🤎 brown heart;💔 broken heart;❣️ heart exclamation;💕 two hearts;💞 revolving hearts;💓 beating heart;💗 growing heart;💖 sparkling heart;💘 heart with arrow;💝 heart with ribbon;💟 heart decoration;☮️ peace symbol;✝️ latin cross;☯️ yin yang;🕉️ om;☸️ wheel of dharma;✡️ star of david;🔯 dotted six pointed star;♈ aries;♉ taurus;♊ gemini;♋ cancer;♌ leo;♍ virgo;♎ libra;♏ scorpio;♐ sagittarius;♑ capricorn;♒ aquarius;♓ pisces;⛎ ophiuchus;🆗 ok button;🆒 cool button;🆕 new button;🆓 free button;🆙 up button;🆘 sos button;⛔ no entry;🚫 prohibited;❌ cross mark;⭕ hollow red circle;❗ exclamation mark;❓ question mark;‼️ double exclamation;⁉️ exclamation question;💯 hundred points 100;🔞 no one under eighteen;📵 no mobile phones;🔇 muted speaker;🔔 bell;🔕 bell with slash;📣 megaphone;💬 speech balloon;💭 thought balloon;🗯️ anger bubble;♻️ recycling;✅ check mark button done;☑️ check box;✔️ check mark;➕ plus;➖ minus;➗ divide;✖️ multiply;➰ curly loop;〰️ wavy dash;©️ copyright;®️ registered;™️ trade mark;🔴 red circle;🟠 orange circle;🟡 yellow circle;🟢 green circle;🔵 blue circle;🟣 purple circle;⚫ black circle;⚪ white circle;🟥 red square;🟩 green square;🟦 blue square;⬛ black square;⬜ white square;🔶 large orange diamond;🔷 large blue diamond;🔺 red triangle up;🔻 red triangle down;💠 diamond with a dot;🔘 radio button;⬆️ up arrow;⬇️ down arrow;⬅️ left arrow;➡️ right arrow;↩️ right arrow curving left;🔄 counterclockwise arrows;🔀 shuffle;🔁 repeat;▶️ play;⏸️ pause;⏹️ stop;⏺️ record;⏭️ next track;⏮️ previous track;🎵 musical note;🎶 musical notes;💤 zzz sleep;💢 anger symbol;💥 collision boom;💦 sweat droplets;💨 dashing away;🕳️ hole',
  ],
  [
    'flags',
    'Flags',
    '🏳️',
    '🏁 chequered flag finish;🚩 triangular flag;🎌 crossed flags;🏴 black flag;🏳️ white flag;🏳️‍🌈 rainbow flag pride;🏴‍☠️ pirate flag;🇦🇷 argentina;🇦🇺 australia;🇧🇷 brazil;🇨🇦 canada;🇨🇳 china;🇩🇪 germany;🇪🇸 spain;🇪🇺 european union;🇫🇷 france;🇬🇧 united kingdom;🇭🇰 hong kong;🇮🇳 india;🇮🇩 indonesia;🇮🇹 italy;🇯🇵 japan;🇰🇷 south korea;🇲🇽 mexico;🇳🇱 netherlands;🇳🇬 nigeria;🇵🇭 philippines;🇵🇱 poland;🇵🇹 portugal;🇷🇺 russia;🇸🇬 singapore;🇸🇪 sweden;🇨🇭 switzerland;🇹🇼 taiwan;🇹🇭 thailand;🇹🇷 turkey;🇺🇦 ukraine;🇺🇸 united states;🇻🇳 vietnam;🇿🇦 south africa;🇪🇬 egypt;🇰🇪 kenya;🇳🇴 norway;🇫🇮 finland;🇩🇰 denmark;🇮🇪 ireland;🇳🇿 new zealand;🇬🇷 greece;🇦🇹 austria;🇧🇪 belgium',
  ],
];

/** The categories, parsed once. */
export const EMOJI_CATEGORIES: EmojiCategory[] = RAW.map(([id, label, icon, list]) => ({
  id,
  label,
  icon,
  entries: list.split(';').map((item) => {
    const space = item.indexOf(' ');
    return { emoji: item.slice(0, space), name: item.slice(space + 1) };
  }),
}));

/** The entry as shown in the app's language: its name there (the first of its words), else the English one. */
export function localEntry(entry: EmojiEntry, names?: EmojiNames): EmojiEntry {
  const local = names?.get(entry.emoji);
  if (!local) return entry;
  const space = local.indexOf(' ');
  return { emoji: entry.emoji, name: space < 0 ? local : local.slice(0, space) };
}

/**
 * Emoji whose English name has every word of the query as a word prefix
 * ("thu up" finds 👍), or whose words in the app's language (`names`) hold
 * every word of the query ("笑" finds 😀: Chinese has no spaces between words,
 * so any part matches); at most `limit`, without duplicates (an emoji may be
 * listed twice), named in the app's language.
 */
export function searchEmoji(query: string, limit = 64, names?: EmojiNames): EmojiEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const found = new Map<string, EmojiEntry>();
  for (const category of EMOJI_CATEGORIES) {
    for (const entry of category.entries) {
      if (found.has(entry.emoji)) continue;
      const nameWords = entry.name.split(' ');
      const local = names?.get(entry.emoji)?.toLowerCase();
      const english = words.every((word) => nameWords.some((nameWord) => nameWord.startsWith(word)));
      if (english || (local && words.every((word) => local.includes(word)))) found.set(entry.emoji, localEntry(entry, names));
      if (found.size >= limit) return [...found.values()];
    }
  }
  return [...found.values()];
}
