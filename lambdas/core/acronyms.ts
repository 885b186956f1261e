// The machine-learning acronyms a topic may use in place of their expansions, and the reverse.
import { isStopWord, termOf, termsOf, wordsIn } from './text-terms';
import type { TermSequence } from './relevance';

/**
 * Acronym -> the ways papers spell it out. Curated: only acronyms with one dominant meaning in
 * ML papers (TTS, say, is left out: text-to-speech or test-time scaling).
 */
export const ACRONYMS: Readonly<Record<string, readonly string[]>> = {
  ASR: ['automatic speech recognition', 'speech recognition'],
  CNN: ['convolutional neural network'],
  CoT: ['chain of thought'],
  DiT: ['diffusion transformer'],
  DPO: ['direct preference optimization'],
  GAN: ['generative adversarial network'],
  GNN: ['graph neural network'],
  GRPO: ['group relative policy optimization'],
  ICL: ['in-context learning'],
  KD: ['knowledge distillation'],
  KV: ['key-value'],
  LLM: ['large language model'],
  LoRA: ['low-rank adaptation'],
  LSTM: ['long short-term memory'],
  MARL: ['multi-agent reinforcement learning'],
  MCTS: ['Monte Carlo tree search'],
  MLLM: ['multimodal large language model'],
  MLM: ['masked language model'],
  MoE: ['mixture of experts'],
  NAS: ['neural architecture search'],
  NER: ['named entity recognition'],
  NeRF: ['neural radiance field'],
  NLP: ['natural language processing'],
  OCR: ['optical character recognition'],
  OOD: ['out-of-distribution'],
  PEFT: ['parameter-efficient fine-tuning'],
  PPO: ['proximal policy optimization'],
  PRM: ['process reward model'],
  RAG: ['retrieval-augmented generation'],
  RL: ['reinforcement learning'],
  RLHF: ['reinforcement learning from human feedback'],
  RLVR: ['reinforcement learning with verifiable rewards'],
  RNN: ['recurrent neural network'],
  SAE: ['sparse autoencoder'],
  SFT: ['supervised fine-tuning'],
  SSM: ['state space model'],
  VAE: ['variational autoencoder'],
  ViT: ['vision transformer'],
  VLA: ['vision-language-action model'],
  // Papers name the same image-and-text models all these ways.
  VLM: ['vision-language model', 'multimodal large language model', 'MLLM', 'multimodal LLM', 'LVLM', 'large multimodal model', 'LMM'],
  VQA: ['visual question answering'],
  '3DGS': ['3D Gaussian splatting'],
};

interface AcronymEntry {
  acronym: TermSequence;
  expansions: TermSequence[];
  /** Each expansion without its common words, as a topic's bare words arrive ("mixtur expert"). */
  contentWords: TermSequence[];
}

const ENTRIES: AcronymEntry[] = Object.entries(ACRONYMS).map(([acronym, expansions]) => ({
  acronym: termsOf(acronym),
  expansions: expansions.map((expansion) => termsOf(expansion)),
  contentWords: expansions.map((expansion) =>
    wordsIn(expansion)
      .filter((word) => !isStopWord(word))
      .map(termOf),
  ),
}));

const sameTerms = (a: TermSequence, b: TermSequence) => a.length === b.length && a.every((term, index) => term === b[index]);

/**
 * Other spellings of `sequence`: the expansions when it is an acronym ("moe"), the acronym when
 * it is an expansion ("mixtur of expert"). Empty when the table has neither.
 */
export function acronymVariantsOf(sequence: TermSequence): TermSequence[] {
  const variants: TermSequence[] = [];
  for (const entry of ENTRIES) {
    if (sameTerms(entry.acronym, sequence)) variants.push(...entry.expansions);
    else if (entry.expansions.some((expansion) => sameTerms(expansion, sequence))) variants.push(entry.acronym);
  }
  return variants;
}

/**
 * Acronyms spelled out by a run of `words` (a topic's bare words, common words left out), each
 * with the words it stands for: `mixture experts routing` gives MoE for "mixtur", "expert".
 */
export function acronymsSpelledOutIn(words: TermSequence): { acronym: TermSequence; words: TermSequence }[] {
  return ENTRIES.flatMap((entry) =>
    entry.contentWords.filter((content) => content.length > 1 && containsRun(words, content)).map((content) => ({ acronym: entry.acronym, words: content })),
  );
}

/** Whether `run` occurs consecutively in `words`. */
function containsRun(words: TermSequence, run: TermSequence): boolean {
  for (let start = 0; start + run.length <= words.length; start += 1) {
    if (run.every((term, offset) => words[start + offset] === term)) return true;
  }
  return false;
}
