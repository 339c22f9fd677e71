/**
 * The search benchmark's made-up chat (bench/scenarios/search.ts): short
 * lines, half English (3–10 words of a 100-word vocabulary), half Chinese
 * (3–10 two- or three-character words, no spaces), from a seeded random
 * source, and the queries asked of every index.
 */

const ENGLISH = (
  'hello time weekend hiking lunch dinner meeting coffee train station ticket movie tonight tomorrow morning ' +
  'evening project deadline report office holiday birthday party music concert football weather rain sunny ' +
  'photo camera library book school teacher homework exam market price phone battery charger airport flight ' +
  'hotel booking doctor hospital medicine family mother father brother sister friend dog cat garden kitchen ' +
  'restaurant noodles pizza salad bread cheese chocolate tea water bottle bicycle car parking street bridge river'
).split(' ');
const CHINESE = (
  '周末 爬山 吃饭 开会 咖啡 火车 电影 今晚 明天 早上 晚上 项目 报告 办公室 假期 生日 聚会 音乐 足球 天气 ' +
  '下雨 照片 图书馆 学校 老师 作业 考试 市场 手机 电池 机场 航班 酒店 医生 医院 家人 妈妈 爸爸 朋友 小狗 ' +
  '厨房 餐厅 面条 面包 巧克力 喝茶 自行车 停车 马路 河边 这个 那个 我们 你们 一起 已经 可以 需要 知道 觉得'
).split(' ');

/** English prefixes, whole words, two-term queries, Chinese words and pairs, and a miss. */
export const QUERIES = ['hik', 'coffee', 'meeting tomorrow', 'lib', 'pizza party', '周末', '爬山', '图书馆', '周末 爬山', 'zzz'];

/** One chat line. */
export function messageText(random: () => number): string {
  const chinese = random() < 0.5;
  const words = 3 + Math.floor(random() * 8);
  const pool = chinese ? CHINESE : ENGLISH;
  const parts: string[] = [];
  for (let i = 0; i < words; i++) parts.push(pool[Math.floor(random() * pool.length)]);
  return parts.join(chinese ? '' : ' ');
}

/** The value at percentile `p` (0–100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
